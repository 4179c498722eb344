#include "dockerfile/json_array.h"

#include "dockerfile/text.h"

namespace plinth::dockerfile {
namespace {

// A strict JSON scanner (RFC 8259 as Go implements it). Depth is bounded to keep the parser
// safe on hostile input; Go's limit is 10000 as well.
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view s) : s_(s) {}

  bool ParseTop(std::vector<std::string>* out, bool* all_strings) {
    SkipWs();
    if (!Peek('[')) return false;
    ++pos_;
    SkipWs();
    *all_strings = true;
    if (Peek(']')) {
      ++pos_;
    } else {
      for (;;) {
        SkipWs();
        if (Peek('"')) {
          std::string v;
          if (!String(&v)) return false;
          out->push_back(std::move(v));
        } else {
          *all_strings = false;
          if (!Value(1)) return false;
        }
        SkipWs();
        if (Peek(',')) {
          ++pos_;
          continue;
        }
        if (Peek(']')) {
          ++pos_;
          break;
        }
        return false;
      }
    }
    SkipWs();
    return pos_ == s_.size();
  }

 private:
  bool Peek(char c) const { return pos_ < s_.size() && s_[pos_] == c; }
  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool Value(int depth) {
    if (depth > 1000) return false;  // Go allows 10000; deeper input is not a Dockerfile
    SkipWs();
    if (pos_ >= s_.size()) return false;
    char c = s_[pos_];
    if (c == '"') {
      std::string ignored;
      return String(&ignored);
    }
    if (c == '[') {
      ++pos_;
      SkipWs();
      if (Peek(']')) {
        ++pos_;
        return true;
      }
      for (;;) {
        if (!Value(depth + 1)) return false;
        SkipWs();
        if (Peek(',')) {
          ++pos_;
          continue;
        }
        if (Peek(']')) {
          ++pos_;
          return true;
        }
        return false;
      }
    }
    if (c == '{') {
      ++pos_;
      SkipWs();
      if (Peek('}')) {
        ++pos_;
        return true;
      }
      for (;;) {
        SkipWs();
        std::string key;
        if (!Peek('"') || !String(&key)) return false;
        SkipWs();
        if (!Peek(':')) return false;
        ++pos_;
        if (!Value(depth + 1)) return false;
        SkipWs();
        if (Peek(',')) {
          ++pos_;
          continue;
        }
        if (Peek('}')) {
          ++pos_;
          return true;
        }
        return false;
      }
    }
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    return Number();
  }
  bool Digit() const { return pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9'; }
  bool Number() {
    if (Peek('-')) ++pos_;
    if (Peek('0')) {
      ++pos_;
    } else if (Digit()) {
      while (Digit()) ++pos_;
    } else {
      return false;
    }
    if (Peek('.')) {
      ++pos_;
      if (!Digit()) return false;
      while (Digit()) ++pos_;
    }
    if (Peek('e') || Peek('E')) {
      ++pos_;
      if (Peek('+') || Peek('-')) ++pos_;
      if (!Digit()) return false;
      while (Digit()) ++pos_;
    }
    return true;
  }
  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool Hex4(char32_t* r) {
    if (pos_ + 4 > s_.size()) return false;
    char32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(s_[pos_ + i]);
      if (h < 0) return false;
      v = v * 16 + h;
    }
    pos_ += 4;
    *r = v;
    return true;
  }
  bool String(std::string* out) {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        ++pos_;
        if (pos_ >= s_.size()) return false;
        char e = s_[pos_++];
        switch (e) {
          case '"': out->push_back('"'); break;
          case '\\': out->push_back('\\'); break;
          case '/': out->push_back('/'); break;
          case 'b': out->push_back('\b'); break;
          case 'f': out->push_back('\f'); break;
          case 'n': out->push_back('\n'); break;
          case 'r': out->push_back('\r'); break;
          case 't': out->push_back('\t'); break;
          case 'u': {
            char32_t r;
            if (!Hex4(&r)) return false;
            if (r >= 0xD800 && r < 0xDC00) {
              // A high surrogate: combine with a following low one, else U+FFFD.
              size_t save = pos_;
              char32_t lo;
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                pos_ += 2;
                if (Hex4(&lo) && lo >= 0xDC00 && lo < 0xE000) {
                  r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                  text::AppendRune(*out, r);
                  break;
                }
              }
              pos_ = save;
              text::AppendRune(*out, text::kRuneError);
              break;
            }
            text::AppendRune(*out, r);
            break;
          }
          default:
            return false;
        }
        continue;
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      text::DecodedRune d = text::DecodeRune(s_, pos_);
      if (d.rune == text::kRuneError && d.width == 1) {
        text::AppendRune(*out, text::kRuneError);
      } else {
        out->append(s_.substr(pos_, d.width));
      }
      pos_ += d.width;
    }
    return false;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

JsonArrayStatus ParseJsonStringArray(std::string_view text, std::vector<std::string>* out) {
  text = text::TrimLeftSpace(text);
  if (text.empty() || text[0] != '[') return JsonArrayStatus::kNotJson;
  std::vector<std::string> values;
  bool all_strings = true;
  JsonScanner scanner(text);
  if (!scanner.ParseTop(&values, &all_strings)) return JsonArrayStatus::kNotJson;
  if (!all_strings) return JsonArrayStatus::kNotStringArray;
  *out = std::move(values);
  return JsonArrayStatus::kOk;
}

}  // namespace plinth::dockerfile
