#include "dockerfile/dump.h"

#include <cstdio>

#include "dockerfile/text.h"
#include "util/ascii.h"

namespace plinth::dockerfile {
namespace {

// strconv.IsPrint for the code points that matter in practice: everything but controls,
// non-ASCII spaces, format characters and unassigned/private ranges we know of.
bool IsPrint(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r >= 0x80 && r <= 0xA0) return false;
  if (r == 0xAD) return false;
  if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F)) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xFFF0 && r <= 0xFFFB) return false;
  if (r == 0xFFFE || r == 0xFFFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r >= 0xF0000) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  return true;
}

void AppendHex(std::string& out, const char* fmt, unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, fmt, v);
  out += buf;
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    text::DecodedRune d = text::DecodeRune(s, i);
    if (d.rune == text::kRuneError && d.width == 1) {
      AppendHex(out, "\\x%02x", c);
      ++i;
      continue;
    }
    i += d.width;
    char32_t r = d.rune;
    switch (r) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (IsPrint(r)) {
      text::AppendRune(out, r);
    } else if (r < ' ' || r == 0x7F) {
      AppendHex(out, "\\x%02x", r);
    } else if (r < 0x10000) {
      AppendHex(out, "\\u%04x", r);
    } else {
      AppendHex(out, "\\U%08x", r);
    }
  }
  out.push_back('"');
  return out;
}

std::string DumpNode(const Node& node) {
  std::string out = AsciiLower(node.keyword);
  if (!node.flags.empty()) {
    out += " [";
    for (size_t i = 0; i < node.flags.size(); ++i) {
      if (i) out += ' ';
      out += GoQuote(node.flags[i]);
    }
    out += ']';
  }
  for (const std::string& arg : node.args) {
    out += ' ';
    out += GoQuote(arg);
  }
  for (const Node& child : node.children) {
    out += " (";
    out += DumpNode(child);
    out += ')';
  }
  return std::string(text::TrimSpace(out));
}

std::string Dump(const Ast& ast) {
  std::string out;
  for (const Node& node : ast.instructions) {
    out += '(';
    out += DumpNode(node);
    out += ")\n";
  }
  return out;
}

}  // namespace plinth::dockerfile
