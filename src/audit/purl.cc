#include "audit/purl.h"

#include "util/ascii.h"

namespace plinth::audit {

std::string PercentEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string DebianPurl(const ImagePackage& package, std::string_view distro) {
  std::string purl = "pkg:deb/debian/" + PercentEncode(package.name);
  if (!package.version.empty()) purl += "@" + PercentEncode(package.version);
  std::string qualifiers;
  auto add = [&](std::string_view key, std::string_view value) {
    if (value.empty()) return;
    qualifiers += qualifiers.empty() ? "?" : "&";
    qualifiers += std::string(key) + "=" + PercentEncode(value);
  };
  // Keys in lexical order, as the spec's canonical form wants.
  add("arch", package.architecture);
  add("distro", distro);
  return purl + qualifiers;
}

std::string OciPurl(std::string_view name, std::string_view manifest_digest) {
  size_t slash = name.rfind('/');
  std::string_view last = slash == std::string_view::npos ? name : name.substr(slash + 1);
  size_t colon = last.find(':');
  if (colon != std::string_view::npos) last = last.substr(0, colon);
  std::string lower = AsciiLower(last);
  return "pkg:oci/" + PercentEncode(lower.empty() ? "image" : lower) + "@" +
         PercentEncode(manifest_digest);
}

}  // namespace plinth::audit
