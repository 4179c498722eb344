#include "audit/dep5_copyright.h"

#include <algorithm>
#include <map>
#include <set>

#include "debian/control_file.h"
#include "util/ascii.h"

namespace plinth::audit {
namespace {

constexpr std::string_view kFormatPrefix = "debian.org/doc/packaging-manuals/copyright-format/1.0";

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

// Debian's short names (copyright-format 1.0, "License specification") that differ from SPDX,
// keyed in lower case; the SPDX ids here all exist on SPDX's list (CycloneDX validates them).
const std::map<std::string, std::string>& DebianToSpdx() {
  static const auto* map = new std::map<std::string, std::string>{
      {"gpl-1", "GPL-1.0-only"},
      {"gpl-1+", "GPL-1.0-or-later"},
      {"gpl-2", "GPL-2.0-only"},
      {"gpl-2+", "GPL-2.0-or-later"},
      {"gpl-3", "GPL-3.0-only"},
      {"gpl-3+", "GPL-3.0-or-later"},
      {"lgpl-2", "LGPL-2.0-only"},
      {"lgpl-2+", "LGPL-2.0-or-later"},
      {"lgpl-2.1", "LGPL-2.1-only"},
      {"lgpl-2.1+", "LGPL-2.1-or-later"},
      {"lgpl-3", "LGPL-3.0-only"},
      {"lgpl-3+", "LGPL-3.0-or-later"},
      {"agpl-3", "AGPL-3.0-only"},
      {"agpl-3+", "AGPL-3.0-or-later"},
      {"gfdl-1.2", "GFDL-1.2-only"},
      {"gfdl-1.2+", "GFDL-1.2-or-later"},
      {"gfdl-1.3", "GFDL-1.3-only"},
      {"gfdl-1.3+", "GFDL-1.3-or-later"},
      {"apache-2", "Apache-2.0"},
      {"apache-2.0", "Apache-2.0"},
      {"expat", "MIT"},
      {"mit", "MIT"},
      {"bsd-2-clause", "BSD-2-Clause"},
      {"bsd-3-clause", "BSD-3-Clause"},
      {"bsd-4-clause", "BSD-4-Clause"},
      {"isc", "ISC"},
      {"zlib", "Zlib"},
      {"artistic", "Artistic-1.0-Perl"},
      {"artistic-2.0", "Artistic-2.0"},
      {"mpl-1.1", "MPL-1.1"},
      {"mpl-2.0", "MPL-2.0"},
      {"psf-2", "PSF-2.0"},
      {"python", "Python-2.0"},
      {"python-2.0", "Python-2.0"},
      {"public-domain", "LicenseRef-public-domain"},
      {"openssl", "OpenSSL"},
      {"curl", "curl"},
      {"cc0-1.0", "CC0-1.0"},
      {"cc0", "CC0-1.0"},
      {"ftl", "FTL"},
      {"x11", "X11"},
      {"unicode-dfs-2016", "Unicode-DFS-2016"},
      {"bsl-1.0", "BSL-1.0"},
      {"epl-1.0", "EPL-1.0"},
      {"epl-2.0", "EPL-2.0"},
      {"ofl-1.1", "OFL-1.1"},
      {"zpl-2.1", "ZPL-2.1"},
      {"wtfpl", "WTFPL"},
      {"unlicense", "Unlicense"},
      {"0bsd", "0BSD"},
  };
  return *map;
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

// "GPL-2+ or Artistic", "LGPL-2.1+ and GPL-2+", "GPL-2+ with OpenSSL exception", "BSD-3-clause,"
// → the names, exceptions left out (the licence named is still the licence).
std::vector<std::string> LicenseNames(std::string_view expression) {
  std::vector<std::string> names;
  std::string word, current;
  bool in_with = false;
  auto flush = [&] {
    if (!current.empty()) names.push_back(current);
    current.clear();
    in_with = false;
  };
  size_t i = 0;
  while (i <= expression.size()) {
    size_t j = i;
    while (j < expression.size() && expression[j] != ' ' && expression[j] != '\t') ++j;
    std::string token(expression.substr(i, j - i));
    while (!token.empty() && (token.back() == ',' || token.back() == ';')) token.pop_back();
    bool ended_by_comma = j > i && (expression[j - 1] == ',' || expression[j - 1] == ';');
    std::string lower = AsciiLower(token);
    if (lower == "or" || lower == "and") {
      flush();
    } else if (lower == "with") {
      in_with = true;
    } else if (!token.empty() && !in_with && token != "(" && token != ")") {
      if (current.empty()) current = token;
    }
    if (ended_by_comma) flush();
    i = j + 1;
  }
  flush();
  return names;
}

}  // namespace

bool IsLicenseRef(std::string_view id) { return id.rfind("LicenseRef-", 0) == 0; }

std::string SpdxLicenseId(std::string_view debian_name) {
  std::string name = Trim(debian_name);
  while (!name.empty() && (name.front() == '(')) name.erase(0, 1);
  while (!name.empty() && (name.back() == ')')) name.pop_back();
  const auto& map = DebianToSpdx();
  if (auto it = map.find(AsciiLower(name)); it != map.end()) return it->second;
  // Names already in SPDX's form that the map spells the same way (any case).
  for (const auto& [debian, spdx] : map)
    if (AsciiLower(spdx) == AsciiLower(name)) return spdx;
  std::string ref = "LicenseRef-";
  for (char c : name) ref += IsIdChar(c) ? c : '-';
  if (ref.size() == 11) ref += "unknown";
  return ref;
}

std::optional<std::vector<std::string>> Dep5Licenses(std::string_view text) {
  if (text.size() > kMaxCopyrightFile) return std::nullopt;
  auto paragraphs = debian::ParseControl(text, "copyright");
  if (!paragraphs || paragraphs->empty()) return std::nullopt;
  const auto& header = paragraphs->front();
  auto format = header.Get("Format");
  if (!format || format->find(kFormatPrefix) == std::string_view::npos) return std::nullopt;
  std::set<std::string> ids;
  for (const auto& p : *paragraphs) {
    if (!p.Get("Files")) continue;
    auto license = p.Get("License");
    if (!license) continue;
    std::string_view first_line = license->substr(0, license->find('\n'));
    for (const auto& name : LicenseNames(first_line)) ids.insert(SpdxLicenseId(name));
  }
  return std::vector<std::string>(ids.begin(), ids.end());
}

}  // namespace plinth::audit
