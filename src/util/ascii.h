// ASCII case folding for protocol tokens (HTTP header names, auth schemes, host names), where
// the locale must not matter.
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

}  // namespace plinth
