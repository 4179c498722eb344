#include "audit/sbom_document.h"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <tuple>

#include "debian/control_file.h"
#include "oci/image_config.h"
#include "util/ascii.h"

namespace plinth::audit {

std::string DistroFromOsRelease(std::string_view os_release) {
  std::string id, version_id;
  size_t start = 0;
  while (start < os_release.size()) {
    size_t end = os_release.find('\n', start);
    if (end == std::string_view::npos) end = os_release.size();
    std::string_view line = os_release.substr(start, end - start);
    start = end + 1;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = line.substr(0, eq);
    std::string value(line.substr(eq + 1));
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    // Only what a purl qualifier can carry sensibly; anything else is dropped.
    std::string clean;
    for (char c : value)
      if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ||
          c == '.' || c == '-' || c == '_')
        clean += c;
    if (key == "ID") id = AsciiLower(clean);
    if (key == "VERSION_ID") version_id = clean;
  }
  if (id.empty()) return "";
  return version_id.empty() ? id : id + "-" + version_id;
}

std::string SbomTimestamp(std::string_view config_created) {
  static const std::regex kRfc3339(R"(^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$)");
  std::match_results<std::string_view::const_iterator> m;
  if (config_created.size() < 64 &&
      std::regex_match(config_created.begin(), config_created.end(), m, kRfc3339))
    return m[1].str() + "Z";
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    if (auto seconds = debian::ParseDecimalU64(epoch); seconds && *seconds < (1ull << 40))
      return oci::FormatTimestamp(static_cast<int64_t>(*seconds));
  }
  return oci::FormatTimestamp(0);
}

void SortDocument(SbomDocument* document) {
  std::sort(document->packages.begin(), document->packages.end(),
            [](const ImagePackage& a, const ImagePackage& b) {
              return std::tie(a.name, a.architecture, a.version, a.record_path) <
                     std::tie(b.name, b.architecture, b.version, b.record_path);
            });
  std::sort(document->unowned_files.begin(), document->unowned_files.end(),
            [](const UnownedFile& a, const UnownedFile& b) { return a.path < b.path; });
}

}  // namespace plinth::audit
