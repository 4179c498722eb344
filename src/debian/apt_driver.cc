#include "debian/apt_driver.h"

#include <dirent.h>

#include <algorithm>

#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace plinth::debian {
namespace {

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

}  // namespace

AptDriver::AptDriver(std::string cache_dir, std::vector<AptSource> sources, std::string arch,
                     std::string keyring)
    : sources_(std::move(sources)), arch_(std::move(arch)), keyring_(std::move(keyring)) {
  std::string key = Sha256::HexOf(SourcesText(sources_, arch_, keyring_)).substr(0, 16);
  root_ = cache_dir + "/apt/" + arch_ + "-" + key;
}

std::vector<std::string> AptDriver::BaseArgs(const std::string& program) const {
  // Dir::Etc::SourceParts and the preferences are pointed at empty places so the machine's
  // own sources and pins play no part; apt.conf.d still applies (proxies live there).
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

Status AptDriver::Update(RefreshPolicy policy) const {
  std::string where = "fetching Debian package indexes for " + arch_;
  PLINTH_CHECK(WriteConfig());
  if (policy == RefreshPolicy::kIfMissing) {
    auto files = PackagesFiles();
    if (files.ok() && !files->empty()) return Ok{};
  }
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
  return Ok{};
}

Result<std::vector<std::string>> AptDriver::PackagesFiles() const {
  std::vector<std::string> out;
  std::string lists = root_ + "/lists";
  DIR* d = opendir(lists.c_str());
  if (!d) return out;
  std::string suffix = "_binary-" + arch_ + "_Packages";
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      out.push_back(lists + "/" + name);
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

Status AptDriver::Download(const std::vector<LockedPackage>& packages, const DebCache& cache) const {
  std::vector<const LockedPackage*> missing;
  for (const auto& p : packages) {
    if (!cache.Has(p.sha256)) missing.push_back(&p);
  }
  if (missing.empty()) return Ok{};
  std::string where = "downloading " + std::to_string(missing.size()) + " packages for " + arch_;
  // A build from a lock never read the index; apt still needs it to find the files.
  PLINTH_CHECK(Update(RefreshPolicy::kIfMissing));
  auto apt = FindProgram("apt-get");
  if (!apt) return NotFound(where + ": apt-get is not installed");
  PLINTH_TRY(TempDir tmp, TempDir::Create("plinth-apt"));
  // The download folder sits in the cache's tmp/ so adoption is a rename on one filesystem.
  std::string dir = cache.tmp_dir() + "/" + tmp.path().substr(tmp.path().rfind('/') + 1);
  PLINTH_CHECK(MakeDirs(dir));
  struct Cleanup {
    std::string dir;
    ~Cleanup() { (void)RemoveAll(dir); }
  } cleanup{dir};
  std::vector<std::string> argv = BaseArgs(*apt);
  argv.push_back("download");
  for (const auto* p : missing) argv.push_back(p->name + ":" + arch_ + "=" + p->version);  // "all" maps to native
  SubprocessOptions options;
  options.cwd = dir;
  PLINTH_TRY(SubprocessResult r, RunProcess(argv, options));
  if (!r.ok()) return Error(ErrorKind::kRetryable, where + ": apt-get download failed:\n" + Tail(r.err, 6));
  for (const auto* p : missing) {
    std::string file = dir + "/" + DownloadName(*p);
    if (!PathExists(file))
      return NotFound(where + ": apt-get did not produce " + DownloadName(*p));
    auto adopted = cache.Adopt(file, p->sha256, p->name + " " + p->version + " (" + p->architecture + ")");
    if (!adopted) return adopted.error().Context(where);
  }
  return Ok{};
}

}  // namespace plinth::debian
