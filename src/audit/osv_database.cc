#include "audit/osv_database.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>

#include "audit/vuln_text.h"
#include "util/fs.h"
#include "util/rooted_path.h"

namespace plinth::audit {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

// libarchive's message, which is null when it set none (a zip it could not recognise).
std::string ArchiveError(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "not a readable zip";
}

// Counts what is read against the limits and adds each advisory to the database.
class Loader {
 public:
  Loader(const OsvLimits& limits, const std::vector<std::string>& ecosystems, OsvDatabase& db)
      : limits_(limits), ecosystems_(ecosystems), db_(db) {}

  Status CountFile(const std::string& where) {
    if (++files_seen_ > limits_.max_files)
      return InvalidInput(
          "more than " + std::to_string(limits_.max_files) + " files in the vulnerability database",
          Location{where});
    return Ok{};
  }

  Status CountBytes(uint64_t bytes, const std::string& where) {
    total_bytes_ += bytes;
    if (total_bytes_ > limits_.max_total_bytes)
      return InvalidInput("the vulnerability database holds more than " +
                              std::to_string(limits_.max_total_bytes) + " bytes of advisories",
                          Location{where});
    return Ok{};
  }

  Status AddAdvisory(std::string_view text, const std::string& name) {
    PLINTH_TRY(ParsedOsvAdvisory parsed, ParseOsvAdvisory(text, name, ecosystems_));
    OsvLoadFigures& f = db_.mutable_figures();
    ++f.files;
    switch (parsed.outcome) {
      case OsvOutcome::kWithdrawn:
        ++f.withdrawn;
        break;
      case OsvOutcome::kOtherEcosystem:
        ++f.other_ecosystem;
        break;
      case OsvOutcome::kKept:
        ++f.kept;
        db_.Add(std::move(parsed.advisory));
        break;
    }
    return Ok{};
  }

  // Reads the one advisory file the database is.
  Status ReadJsonFile(const std::string& path) {
    PLINTH_TRY(std::string text, ReadFileAtMost(path, limits_.max_advisory_bytes));
    PLINTH_CHECK(CountBytes(text.size(), path));
    return AddAdvisory(text, path);
  }

  // Lists the folder's *.json files (links and hidden folders skipped), then reads each in name
  // order through ReadFileInRoot, so a folder swapped for a link after it was listed still
  // cannot lead out of the root.
  Status ReadFolder(const std::string& root) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::string> files;  // relative to root
    auto shown = [](const fs::path& p) { return PrintableText(p.string(), 300); };
    fs::recursive_directory_iterator it(root, fs::directory_options::none, ec);
    if (ec) return IoError("listing " + root + ": " + ec.message());
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) return IoError("listing " + root + ": " + ec.message());
      std::string name = it->path().filename().string();
      bool is_link = it->is_symlink(ec);
      if (ec) return IoError("reading " + shown(it->path()) + ": " + ec.message());
      if (is_link) {
        it.disable_recursion_pending();  // not followed (the iterator does not anyway)
        continue;
      }
      bool is_dir = it->is_directory(ec);
      if (ec) return IoError("reading " + shown(it->path()) + ": " + ec.message());
      if (is_dir) {
        if (name.starts_with(".") || it.depth() >= 16) it.disable_recursion_pending();
        continue;
      }
      if (!name.ends_with(".json") || name.starts_with(".")) continue;
      PLINTH_CHECK(CountFile(shown(it->path())));
      files.push_back(it->path().lexically_relative(root).string());
    }
    // A failed step may leave the iterator at its end, ending the loop before the check above.
    if (ec) return IoError("listing " + root + ": " + ec.message());
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) {
      std::string name = shown(file);
      PLINTH_TRY(std::string text, ReadFileInRoot(root, file, limits_.max_advisory_bytes));
      PLINTH_CHECK(CountBytes(text.size(), name));
      PLINTH_CHECK(AddAdvisory(text, name));
    }
    return Ok{};
  }

  Status ReadZip(const std::string& path) {
    std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
    archive_read_support_format_zip(a.get());
    if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
      return InvalidInput("opening the zip: " + ArchiveError(a.get()), Location{path});
    std::vector<char> buf(1 << 16);
    for (;;) {
      archive_entry* entry = nullptr;
      int r = archive_read_next_header(a.get(), &entry);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
        return InvalidInput("reading the zip: " + ArchiveError(a.get()), Location{path});
      const char* raw_name = archive_entry_pathname(entry);
      std::string member = raw_name ? raw_name : "";
      std::string where = path + ":" + PrintableText(member, 200);
      PLINTH_CHECK(CountFile(where));
      if (archive_entry_filetype(entry) != AE_IFREG || !member.ends_with(".json")) continue;
      if (archive_entry_size_is_set(entry) && archive_entry_size(entry) >= 0 &&
          static_cast<uint64_t>(archive_entry_size(entry)) > limits_.max_advisory_bytes)
        return TooLarge(where);
      std::string text;
      for (;;) {
        la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
        if (n < 0)
          return InvalidInput("reading the zip: " + ArchiveError(a.get()), Location{where});
        if (n == 0) break;
        // Checked as it streams: the size a zip declares is not trusted.
        if (text.size() + static_cast<size_t>(n) > limits_.max_advisory_bytes)
          return TooLarge(where);
        text.append(buf.data(), static_cast<size_t>(n));
      }
      PLINTH_CHECK(CountBytes(text.size(), where));
      PLINTH_CHECK(AddAdvisory(text, where));
    }
    return Ok{};
  }

 private:
  Error TooLarge(const std::string& where) const {
    return InvalidInput(
        "advisory is larger than " + std::to_string(limits_.max_advisory_bytes) + " bytes",
        Location{where});
  }

  const OsvLimits& limits_;
  const std::vector<std::string>& ecosystems_;
  OsvDatabase& db_;
  size_t files_seen_ = 0;
  uint64_t total_bytes_ = 0;
};

// Whether the file starts as a zip does (a local file header, or the end record of an empty one).
Result<bool> LooksLikeZip(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ErrnoError("reading " + path, errno);
  PLINTH_TRY(FileSource file, FileSource::AdoptRegular(fd, path));
  char magic[4] = {};
  size_t got = 0;
  while (got < sizeof(magic)) {
    PLINTH_TRY(size_t n, file.Read(magic + got, sizeof(magic) - got));
    if (n == 0) break;
    got += n;
  }
  std::string_view m(magic, got);
  return m == std::string_view("PK\x03\x04", 4) || m == std::string_view("PK\x05\x06", 4);
}

}  // namespace

void OsvDatabase::Add(OsvAdvisory advisory) {
  size_t index = advisories_.size();
  std::set<std::string> names;
  for (const OsvAffected& a : advisory.affected) names.insert(a.name);
  for (const std::string& name : names) by_package_[name].push_back(index);
  advisories_.push_back(std::move(advisory));
}

std::span<const size_t> OsvDatabase::ForPackage(std::string_view package) const {
  auto it = by_package_.find(std::string(package));
  if (it == by_package_.end()) return {};
  return it->second;
}

Result<OsvDatabase> LoadOsvDatabase(const std::string& path, const OsvLimits& limits,
                                    const std::vector<std::string>& ecosystems) {
  const std::string doing = "loading the vulnerability database " + path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT) return NotFound(doing + ": no such file or folder");
    return ErrnoError(doing, err);
  }
  OsvDatabase db;
  Loader loader(limits, ecosystems, db);
  Status status = Ok{};
  if (S_ISDIR(st.st_mode)) {
    status = loader.ReadFolder(path);
  } else {
    PLINTH_TRY(bool zip, LooksLikeZip(path));
    if (zip) {
      status = loader.ReadZip(path);
    } else if (path.ends_with(".json")) {
      status = loader.ReadJsonFile(path);  // one file: within every count
    } else {
      return InvalidInput(doing + ": not a folder of OSV advisories, a .zip of them or a .json");
    }
  }
  if (!status) return status.error().Context(doing);
  return db;
}

}  // namespace plinth::audit
