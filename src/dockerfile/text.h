// Text helpers with Go's semantics, so the parser treats bytes exactly as BuildKit does:
// UTF-8 decoding that yields U+FFFD (width 1) for invalid bytes, unicode.IsSpace, and the
// trimming functions built on them. Internal to the dockerfile module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace plinth::dockerfile::text {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;
  int width;  // bytes consumed; 1 for an invalid byte (rune is then kRuneError)
};

// Decodes the rune at s[pos]; pos must be < s.size().
DecodedRune DecodeRune(std::string_view s, size_t pos);
// Appends the UTF-8 encoding of r (invalid code points become U+FFFD).
void AppendRune(std::string& out, char32_t r);
// Go's unicode.IsSpace.
bool IsSpace(char32_t r);
// Go's unicode.IsSpace(rune(b)) for a single byte, as Go code that indexes bytes does.
inline bool IsSpaceByte(unsigned char b) {
  return b == ' ' || (b >= '\t' && b <= '\r') || b == 0x85 || b == 0xA0;
}
// Go's unicode.IsLetter / unicode.IsDigit (ASCII exact, a pragmatic approximation beyond).
bool IsLetter(char32_t r);
bool IsDigit(char32_t r);

std::string_view TrimLeftSpace(std::string_view s);   // strings.TrimLeftFunc(s, unicode.IsSpace)
std::string_view TrimRightSpace(std::string_view s);  // strings.TrimRightFunc(s, unicode.IsSpace)
inline std::string_view TrimSpace(std::string_view s) { return TrimRightSpace(TrimLeftSpace(s)); }

// Go's reWhitespace `[\t\v\f\r ]+` (no newline).
inline bool IsSplitSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}


}  // namespace plinth::dockerfile::text
