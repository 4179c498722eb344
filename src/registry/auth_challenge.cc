#include "registry/auth_challenge.h"

#include <cctype>

#include "util/ascii.h"

namespace plinth::registry {
namespace {

void SkipSpaces(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ',')) s.remove_prefix(1);
}

}  // namespace

Result<AuthChallenge> AuthChallenge::Parse(std::string_view header) {
  std::string_view s = header;
  SkipSpaces(s);
  size_t end = s.find_first_of(" \t");
  std::string scheme = AsciiLower(s.substr(0, end));
  AuthChallenge challenge;
  if (scheme == "basic") {
    challenge.scheme = AuthScheme::kBasic;
  } else if (scheme == "bearer") {
    challenge.scheme = AuthScheme::kBearer;
  } else {
    return InvalidInput("unsupported authentication scheme '" + scheme + "' in WWW-Authenticate");
  }
  s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  for (;;) {
    SkipSpaces(s);
    if (s.empty()) break;
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return InvalidInput("malformed WWW-Authenticate parameter");
    std::string name = AsciiLower(s.substr(0, eq));
    while (!name.empty() && name.back() == ' ') name.pop_back();
    s.remove_prefix(eq + 1);
    std::string value;
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      bool closed = false;
      while (!s.empty()) {
        char c = s.front();
        s.remove_prefix(1);
        if (c == '\\' && !s.empty()) {
          value += s.front();
          s.remove_prefix(1);
        } else if (c == '"') {
          closed = true;
          break;
        } else {
          value += c;
        }
      }
      if (!closed) return InvalidInput("unterminated quoted string in WWW-Authenticate");
    } else {
      size_t stop = s.find(',');
      value = std::string(s.substr(0, stop));
      while (!value.empty() && value.back() == ' ') value.pop_back();
      s.remove_prefix(stop == std::string_view::npos ? s.size() : stop);
    }
    challenge.params[name] = value;
  }
  return challenge;
}

}  // namespace plinth::registry
