#include "audit/dpkg_records.h"

#include "debian/control_file.h"
#include "debian/dpkg_version.h"

namespace plinth::audit {
namespace {

std::string Trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

// The top-level folders merged-/usr moves under usr/.
constexpr std::string_view kMergedDirs[] = {"bin/", "sbin/", "lib/", "lib32/", "lib64/", "libx32/"};

}  // namespace

Result<std::vector<ImagePackage>> ParseDpkgRecords(std::string_view text,
                                                   const std::string& record_path) {
  if (text.size() > kMaxStatusFile)
    return IntegrityError("/" + record_path + " is " + std::to_string(text.size()) +
                          " bytes, more than a dpkg status file can be");
  PLINTH_TRY(auto paragraphs, debian::ParseControl(text, "/" + record_path));
  std::vector<ImagePackage> out;
  for (const auto& p : paragraphs) {
    // dpkg's "WANT FLAG STATE": only the state `installed` is in the image (config-files,
    // half-installed and not-installed records are not).
    std::string status = p.GetOr("Status", "install ok installed");
    size_t space = status.find_last_of(" \t");
    if (status.substr(space == std::string::npos ? 0 : space + 1) != "installed") continue;
    ImagePackage package;
    package.name = Trimmed(p.GetOr("Package"));
    if (package.name.empty())
      return IntegrityError("a record with no Package field", {"/" + record_path, p.line});
    std::string version = Trimmed(p.GetOr("Version"));
    if (auto parsed = debian::DpkgVersion::Parse(version); !parsed)
      return IntegrityError(package.name + ": Version: " + parsed.error().message(),
                            {"/" + record_path, p.LineOf("Version")});
    package.version = version;
    package.architecture = Trimmed(p.GetOr("Architecture"));
    // "Source: openssl" or "Source: gcc-12 (12.2.0-14)".
    std::string source = Trimmed(p.GetOr("Source"));
    if (size_t paren = source.find('('); paren != std::string::npos) {
      size_t close = source.find(')', paren);
      if (close == std::string::npos)
        return IntegrityError(package.name + ": Source: unclosed '(' in \"" + source + "\"",
                              {"/" + record_path, p.LineOf("Source")});
      std::string source_version = Trimmed(source.substr(paren + 1, close - paren - 1));
      if (auto parsed = debian::DpkgVersion::Parse(source_version); !parsed)
        return IntegrityError(package.name + ": Source: " + parsed.error().message(),
                              {"/" + record_path, p.LineOf("Source")});
      if (source_version != package.version) package.source_version = source_version;
      source = Trimmed(source.substr(0, paren));
    }
    package.source = source.empty() ? package.name : source;
    package.record_path = record_path;
    out.push_back(std::move(package));
  }
  return out;
}

Status AddOwnedPaths(std::string_view text, bool md5sums, const std::string& file,
                     std::set<std::string>* owned) {
  if (text.size() > kMaxFileList)
    return IntegrityError("/" + file + " is " + std::to_string(text.size()) +
                          " bytes, more than a package's file list can be");
  size_t start = 0;
  int line = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view entry = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (md5sums) {
      // "d41d8cd98f00b204e9800998ecf8427e  usr/bin/x": the path follows the first two blanks.
      size_t gap = entry.find("  ");
      if (gap == std::string_view::npos) {
        if (Trimmed(entry).empty()) continue;
        return IntegrityError("not a \"HASH  path\" line", {"/" + file, line});
      }
      entry = entry.substr(gap + 2);
    }
    while (!entry.empty() && entry.front() == '/') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == '\r') entry.remove_suffix(1);
    if (entry.empty() || entry == ".") continue;
    owned->emplace(entry);
    if (owned->size() > kMaxOwnedPaths)
      return IntegrityError(
          "more than " + std::to_string(kMaxOwnedPaths) + " paths owned by packages",
          {"/" + file, line});
  }
  return Ok{};
}

bool IsOwned(const std::set<std::string>& owned, const std::string& path) {
  if (owned.count(path)) return true;
  for (std::string_view dir : kMergedDirs) {
    if (path.rfind("usr/", 0) == 0 && path.compare(4, dir.size(), dir) == 0)
      return owned.count(path.substr(4)) > 0;
    if (path.compare(0, dir.size(), dir) == 0) return owned.count("usr/" + path) > 0;
  }
  return false;
}

}  // namespace plinth::audit
