// Text from a vulnerability database or an image (advisory summaries, versions, file names
// inside a zip) as it may be shown on a terminal or in an error message: at most `max` bytes
// of it, control characters (ESC, CR, LF, DEL) replaced by '?', so no escape sequence or fake
// line reaches the screen. (registry/registry_client.cc does the same for registry answers.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plinth::audit {

inline std::string PrintableText(std::string_view text, size_t max = 400) {
  std::string out;
  for (char c : text.substr(0, max)) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace plinth::audit
