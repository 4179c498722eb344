// ASCII case folding for tokens (HTTP header names, auth schemes, host names, Dockerfile
// keywords and flags, image names, lint rule codes), where the locale must not matter.
#pragma once

#include <string>
#include <string_view>

namespace plinth {

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace plinth
