#include "dockerfile/text.h"

namespace plinth::dockerfile::text {

DecodedRune DecodeRune(std::string_view s, size_t pos) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c0 = b(pos);
  if (c0 < 0x80) return {c0, 1};
  size_t left = s.size() - pos;
  auto cont = [&](size_t i) { return pos + i < s.size() && (b(pos + i) & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF && left >= 2 && cont(1)) {
    return {static_cast<char32_t>(((c0 & 0x1F) << 6) | (b(pos + 1) & 0x3F)), 2};
  }
  if (c0 >= 0xE0 && c0 <= 0xEF && left >= 3 && cont(1) && cont(2)) {
    unsigned char c1 = b(pos + 1);
    if ((c0 == 0xE0 && c1 < 0xA0) || (c0 == 0xED && c1 > 0x9F)) return {kRuneError, 1};
    return {static_cast<char32_t>(((c0 & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (b(pos + 2) & 0x3F)),
            3};
  }
  if (c0 >= 0xF0 && c0 <= 0xF4 && left >= 4 && cont(1) && cont(2) && cont(3)) {
    unsigned char c1 = b(pos + 1);
    if ((c0 == 0xF0 && c1 < 0x90) || (c0 == 0xF4 && c1 > 0x8F)) return {kRuneError, 1};
    return {static_cast<char32_t>(((c0 & 0x07) << 18) | ((c1 & 0x3F) << 12) |
                                  ((b(pos + 2) & 0x3F) << 6) | (b(pos + 3) & 0x3F)),
            4};
  }
  return {kRuneError, 1};
}

void AppendRune(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsSpace(char32_t r) {
  if (r < 0x100) return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 ||
         r == 0x202F || r == 0x205F || r == 0x3000;
}

bool IsLetter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r == 0xAA || r == 0xB5 || r == 0xBA) return true;
  if (r < 0xC0) return false;
  if (r == 0xD7 || r == 0xF7) return false;
  if (IsSpace(r)) return false;
  // Beyond Latin-1 we treat the main letter blocks as letters (CJK, Hangul, Cyrillic, ...):
  // punctuation and symbol blocks are excluded.
  if (r >= 0x2000 && r <= 0x2BFF) return false;
  if (r >= 0x3000 && r <= 0x303F) return false;
  if (r >= 0xFF00 && r <= 0xFF20) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r == kRuneError) return false;
  if (r >= 0x1F000) return false;
  return true;
}

bool IsDigit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return (r >= 0x660 && r <= 0x669) || (r >= 0x6F0 && r <= 0x6F9) || (r >= 0x966 && r <= 0x96F) ||
         (r >= 0xFF10 && r <= 0xFF19);
}

std::string_view TrimLeftSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    DecodedRune d = DecodeRune(s, i);
    if (!IsSpace(d.rune) || (d.rune == kRuneError && d.width == 1)) break;
    i += d.width;
  }
  return s.substr(i);
}

std::string_view TrimRightSpace(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    unsigned char c = static_cast<unsigned char>(s[end - 1]);
    if (c < 0x80) {
      if (!IsSpace(c)) break;
      --end;
      continue;
    }
    // Find the start of the last rune.
    size_t start = end - 1;
    while (start > 0 && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    DecodedRune d = DecodeRune(s, start);
    if (start + d.width != end || !IsSpace(d.rune)) break;
    end = start;
  }
  return s.substr(0, end);
}

}  // namespace plinth::dockerfile::text
