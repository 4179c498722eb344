#include "debian/dpkg_version.h"

#include <cctype>
#include <cstring>

namespace plinth::debian {
namespace {

// dpkg's order(): ~ first, then end of string/digits (0), letters, then everything else.
int Order(int c) {
  if (std::isdigit(c)) return 0;
  if (std::isalpha(c)) return c;
  if (c == '~') return -1;
  if (c) return c + 256;
  return 0;
}

int VerRevCmp(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
           (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
      int ac = i < a.size() ? Order(static_cast<unsigned char>(a[i])) : 0;
      int bc = j < b.size() ? Order(static_cast<unsigned char>(b[j])) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])) && j < b.size() &&
           std::isdigit(static_cast<unsigned char>(b[j]))) {
      if (!first_diff) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) return 1;
    if (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

int Sign(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

}  // namespace

Result<DpkgVersion> DpkgVersion::Parse(std::string_view text) {
  DpkgVersion v;
  v.text_ = std::string(text);
  if (text.empty()) return InvalidInput("version string is empty");
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)))
      return InvalidInput("version '" + std::string(text) + "' has embedded spaces");
  }
  std::string_view rest = text;
  size_t colon = rest.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = rest.substr(0, colon);
    if (epoch.empty()) return InvalidInput("version '" + std::string(text) + "': epoch is empty");
    unsigned long e = 0;
    for (char c : epoch) {
      if (!std::isdigit(static_cast<unsigned char>(c)))
        return InvalidInput("version '" + std::string(text) + "': epoch is not a number");
      e = e * 10 + (c - '0');
      if (e > 0x7fffffff)
        return InvalidInput("version '" + std::string(text) + "': epoch is too big");
    }
    v.epoch_ = e;
    rest = rest.substr(colon + 1);
  }
  size_t dash = rest.rfind('-');
  if (dash != std::string_view::npos) {
    v.revision_ = std::string(rest.substr(dash + 1));
    rest = rest.substr(0, dash);
    if (v.revision_.empty())
      return InvalidInput("version '" + std::string(text) + "': revision is empty");
  }
  if (rest.empty())
    return InvalidInput("version '" + std::string(text) + "': upstream version is empty");
  for (char c : rest) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr(".-+~:", c))
      return InvalidInput("version '" + std::string(text) + "': invalid character '" +
                          std::string(1, c) + "' in upstream version");
  }
  for (char c : v.revision_) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr(".+~", c))
      return InvalidInput("version '" + std::string(text) + "': invalid character '" +
                          std::string(1, c) + "' in revision");
  }
  v.upstream_ = std::string(rest);
  return v;
}

std::strong_ordering operator<=>(const DpkgVersion& a, const DpkgVersion& b) {
  if (a.epoch_ != b.epoch_) return a.epoch_ <=> b.epoch_;
  int r = VerRevCmp(a.upstream_, b.upstream_);
  if (r == 0) r = VerRevCmp(a.revision_, b.revision_);
  return r <=> 0;
}

int CompareVersions(std::string_view a, std::string_view b) {
  auto va = DpkgVersion::Parse(a);
  auto vb = DpkgVersion::Parse(b);
  if (!va || !vb) return Sign(a.compare(b));
  auto c = *va <=> *vb;
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<VersionOp> ParseVersionOp(std::string_view op) {
  if (op == "<<") return VersionOp::kLess;
  if (op == "<=" || op == "<") return VersionOp::kLessEqual;
  if (op == "=") return VersionOp::kEqual;
  if (op == ">=" || op == ">") return VersionOp::kGreaterEqual;
  if (op == ">>") return VersionOp::kGreater;
  return InvalidInput("unknown version relation '" + std::string(op) + "'");
}

std::string_view VersionOpString(VersionOp op) {
  switch (op) {
    case VersionOp::kAny: return "";
    case VersionOp::kLess: return "<<";
    case VersionOp::kLessEqual: return "<=";
    case VersionOp::kEqual: return "=";
    case VersionOp::kGreaterEqual: return ">=";
    case VersionOp::kGreater: return ">>";
  }
  return "";
}

bool Satisfies(const DpkgVersion& have, VersionOp op, const DpkgVersion& want) {
  auto c = have <=> want;
  switch (op) {
    case VersionOp::kAny: return true;
    case VersionOp::kLess: return c < 0;
    case VersionOp::kLessEqual: return c <= 0;
    case VersionOp::kEqual: return c == 0;
    case VersionOp::kGreaterEqual: return c >= 0;
    case VersionOp::kGreater: return c > 0;
  }
  return false;
}

}  // namespace plinth::debian
