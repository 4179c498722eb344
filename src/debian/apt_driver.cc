#include "debian/apt_driver.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "util/atomic_file.h"
#include "util/file_lock.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace plinth::debian {
namespace {

// Bounds what is read from lists.complete (a cache file, so possibly damaged or planted).
constexpr size_t kMaxRecordedLists = 1024;

std::string SourcesText(const std::vector<AptSource>& sources, const std::string& arch,
                        const std::string& keyring) {
  std::string out;
  for (const auto& s : sources) out += s.ToLine(arch, keyring);
  return out;
}

std::string Tail(const std::string& text, size_t lines) {
  size_t pos = text.size();
  while (lines-- && pos > 0) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

// apt-get download names a file NAME_VERSION_ARCH.deb with the epoch's ':' as "%3a".
std::string DownloadName(const LockedPackage& p) {
  std::string version;
  for (char c : p.version) version += c == ':' ? std::string("%3a") : std::string(1, c);
  return p.name + "_" + version + "_" + p.architecture + ".deb";
}

// apt-get runs in the download folder, so every folder handed to it must be absolute.
std::string Absolute(const std::string& path) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

std::vector<const LockedPackage*> Missing(const std::vector<LockedPackage>& packages,
                                          const DebCache& cache) {
  std::vector<const LockedPackage*> out;
  for (const auto& p : packages) {
    if (!cache.Has(p.sha256)) out.push_back(&p);
  }
  return out;
}

Result<uint64_t> FileSize(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return ErrnoError(path, errno);
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

AptDriver::AptDriver(const std::string& cache_dir, std::vector<AptSource> sources, std::string arch,
                     std::string keyring)
    : sources_(std::move(sources)), arch_(std::move(arch)), keyring_(std::move(keyring)) {
  std::string key = Sha256::HexOf(SourcesText(sources_, arch_, keyring_)).substr(0, 16);
  root_ = Absolute(cache_dir) + "/apt/" + arch_ + "-" + key;
}

std::string AptDriver::Name() const {
  return (sources_.empty() ? std::string("(no sources)") : sources_.front().suite) + "/" + arch_;
}

std::vector<std::string> AptDriver::BaseArgs(const std::string& program) const {
  // Dir::Etc::SourceParts and the preferences are pointed at empty places so the machine's
  // own sources and pins play no part; apt.conf.d still applies (proxies live there). apt's
  // own locking is off: it would lock the machine's lists, and plinth's lock file guards ours.
  return {program,
          "-q",
          "-o", "Dir::Etc::SourceList=" + root_ + "/sources.list",
          "-o", "Dir::Etc::SourceParts=" + root_ + "/empty",
          "-o", "Dir::Etc::Preferences=" + root_ + "/empty/preferences",
          "-o", "Dir::Etc::PreferencesParts=" + root_ + "/empty",
          "-o", "Dir::State::Lists=" + root_ + "/lists",
          "-o", "Dir::State::status=" + root_ + "/empty/status",
          "-o", "Dir::Cache=" + root_ + "/cache",
          "-o", "Dir::Cache::Archives=" + root_ + "/cache/archives",
          "-o", "Dir::Cache::pkgcache=",
          "-o", "Dir::Cache::srcpkgcache=",
          "-o", "APT::Architecture=" + arch_,
          "-o", "APT::Architectures::=" + arch_,
          "-o", "Acquire::GzipIndexes=false",
          "-o", "Acquire::Languages=none",
          "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
          "-o", "APT::Sandbox::User=root",
          "-o", "Debug::NoLocking=true"};
}

Status AptDriver::WriteConfig() const {
  for (const char* d : {"/lists/partial", "/cache/archives/partial", "/empty"})
    PLINTH_CHECK(MakeDirs(root_ + d));
  if (!PathExists(root_ + "/empty/status")) PLINTH_CHECK(WriteFileAtomic(root_ + "/empty/status", ""));
  return WriteFileAtomic(root_ + "/sources.list", SourcesText(sources_, arch_, keyring_));
}

Error AptDriver::Unreadable(const Error& cause) const {
  return Error(cause.kind(), "the package index for " + Name() + " could not be read: " +
                                 cause.ToString() + "; run again, or delete " + root_);
}

Status AptDriver::SealLists() const {
  std::string lists = root_ + "/lists";
  std::string suffix = "_binary-" + arch_ + "_Packages";
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(lists, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) names.push_back(name);
  }
  if (ec) return IoError("listing " + lists + ": " + ec.message());
  if (names.empty())
    return NotFound("apt fetched no Packages files for " + arch_ + " into " + lists);
  std::sort(names.begin(), names.end());
  std::string record;
  for (const auto& name : names) {
    PLINTH_TRY(uint64_t size, FileSize(lists + "/" + name));
    record += std::to_string(size) + " " + name + "\n";
  }
  return WriteFileAtomic(root_ + "/lists.complete", record);
}

Result<std::vector<std::string>> AptDriver::CompleteLists() const {
  std::string record_path = root_ + "/lists.complete";
  if (!PathExists(record_path))
    return NotFound("no complete index was fetched into " + root_ +
                    "/lists (none yet, or an apt-get update stopped half-way)");
  PLINTH_TRY(std::string record, ReadFile(record_path));
  std::vector<std::string> files;
  std::istringstream in(record);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    size_t space = line.find(' ');
    std::string name = space == std::string::npos ? "" : line.substr(space + 1);
    char* end = nullptr;
    unsigned long long size = std::strtoull(line.c_str(), &end, 10);
    if (name.empty() || end != line.c_str() + space || name.find('/') != std::string::npos ||
        name[0] == '.' || files.size() >= kMaxRecordedLists)
      return IntegrityError("malformed record of the fetched index", {record_path, n, 1});
    std::string path = root_ + "/lists/" + name;
    auto on_disk = FileSize(path);
    if (!on_disk) return NotFound(name + " is missing from " + root_ + "/lists");
    if (*on_disk != size)
      return IntegrityError(name + " is " + std::to_string(*on_disk) +
                            " bytes, but apt-get update wrote " + std::to_string(size) +
                            " (half-written or changed since)");
    if (size == 0) return IntegrityError(name + " is empty");
    files.push_back(path);
  }
  if (files.empty())
    return IntegrityError("the record of the fetched index " + record_path + " is empty");
  return files;
}

Status AptDriver::Update(RefreshPolicy policy) const {
  std::string where = "fetching the Debian package index for " + Name();
  PLINTH_CHECK(MakeDirs(root_));
  PLINTH_TRY(FileLock lock, FileLock::Acquire(root_ + "/lock"));
  // Whoever held the lock before us may have just fetched it.
  bool complete = CompleteLists().ok();
  if (policy == RefreshPolicy::kIfMissing && complete) return Ok{};
  // An update that stops half-way must leave no record claiming a complete index.
  if (unlink((root_ + "/lists.complete").c_str()) != 0 && errno != ENOENT)
    return ErrnoError(where + ": removing " + root_ + "/lists.complete", errno);
  // apt keeps a list whose InRelease did not change without checking it again, so lists that
  // are not one complete recorded index (an interrupted update, a damaged file) go first.
  if (!complete) PLINTH_CHECK(RemoveAll(root_ + "/lists"));
  PLINTH_CHECK(WriteConfig());
  auto apt = FindProgram("apt-get");
  if (!apt) return NotFound(where + ": apt-get is not installed");
  std::vector<std::string> argv = BaseArgs(*apt);
  argv.push_back("update");
  PLINTH_TRY(SubprocessResult r, RunProcess(argv));
  // apt-get update exits 0 even when a source failed; its "W:"/"E:" lines tell.
  if (!r.ok() || r.err.find("E: ") != std::string::npos ||
      r.err.find("W: Failed to fetch") != std::string::npos ||
      r.err.find("W: GPG error") != std::string::npos)
    return Error(r.ok() ? ErrorKind::kIntegrity : ErrorKind::kRetryable,
                 where + ": apt-get update failed:\n" + Tail(r.err, 6));
  if (auto s = SealLists(); !s) return s.error().Context(where);
  return Ok{};
}

Result<PackageIndex> AptDriver::LoadIndex() const {
  PLINTH_CHECK(MakeDirs(root_));
  PLINTH_TRY(FileLock lock, FileLock::Acquire(root_ + "/lock", FileLock::Mode::kShared));
  auto files = CompleteLists();
  if (!files) return Unreadable(files.error());
  PackageIndex index(arch_);
  for (const auto& f : *files) {
    if (auto s = index.LoadFile(f); !s) return Unreadable(s.error());
  }
  if (index.size() == 0)
    return Unreadable(IntegrityError("its Packages files list no package for " + arch_));
  return index;
}

Result<std::vector<std::string>> AptDriver::PackagesFiles() const {
  PLINTH_CHECK(MakeDirs(root_));
  PLINTH_TRY(FileLock lock, FileLock::Acquire(root_ + "/lock", FileLock::Mode::kShared));
  auto files = CompleteLists();
  if (!files) return Unreadable(files.error());
  return files;
}

Status AptDriver::Download(const std::vector<LockedPackage>& packages, const DebCache& cache) const {
  if (Missing(packages, cache).empty()) return Ok{};
  // A build from a lock never read the index; apt still needs it to find the files.
  PLINTH_CHECK(Update(RefreshPolicy::kIfMissing));
  // Lock order, everywhere: the lists, then the .deb cache.
  PLINTH_TRY(FileLock lists_lock, FileLock::Acquire(root_ + "/lock", FileLock::Mode::kShared));
  if (auto files = CompleteLists(); !files) return Unreadable(files.error());
  PLINTH_TRY(FileLock cache_lock, cache.LockForWriting());
  // Another process may have downloaded some of them while we waited.
  std::vector<const LockedPackage*> missing = Missing(packages, cache);
  if (missing.empty()) return Ok{};
  std::string where = "downloading " + std::to_string(missing.size()) + " packages for " + Name();
  auto apt = FindProgram("apt-get");
  if (!apt) return NotFound(where + ": apt-get is not installed");
  // The download folder sits in the cache's tmp/ so adoption is a rename on one filesystem.
  std::string pattern = cache.tmp_dir() + "/download-XXXXXX";
  if (!mkdtemp(pattern.data()))
    return ErrnoError(where + ": creating a folder in " + cache.tmp_dir(), errno);
  struct Cleanup {
    std::string dir;
    ~Cleanup() { (void)RemoveAll(dir); }
  } cleanup{pattern};
  std::vector<std::string> argv = BaseArgs(*apt);
  argv.push_back("download");
  for (const auto* p : missing) argv.push_back(p->name + ":" + arch_ + "=" + p->version);  // "all" maps to native
  SubprocessOptions options;
  options.cwd = cleanup.dir;
  PLINTH_TRY(SubprocessResult r, RunProcess(argv, options));
  if (!r.ok()) return Error(ErrorKind::kRetryable, where + ": apt-get download failed:\n" + Tail(r.err, 6));
  for (const auto* p : missing) {
    std::string file = cleanup.dir + "/" + DownloadName(*p);
    if (!PathExists(file))
      return NotFound(where + ": apt-get did not produce " + DownloadName(*p));
    auto adopted = cache.Adopt(file, p->sha256, p->name + " " + p->version + " (" + p->architecture + ")");
    if (!adopted) return adopted.error().Context(where);
  }
  return Ok{};
}

}  // namespace plinth::debian
