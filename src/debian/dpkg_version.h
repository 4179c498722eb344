// DpkgVersion: a Debian package version, [epoch:]upstream[-revision], ordered exactly as dpkg
// orders them (lib/dpkg/version.c): epochs numerically, then upstream and revision by
// verrevcmp, where `~` sorts before everything (even the end of the string), letters before
// other characters, and digit runs compare as numbers. "1.0" and "1.0-0" are not equal to dpkg
// only in their text; they compare equal here as in dpkg.
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "util/result.h"

namespace plinth::debian {

class DpkgVersion {
 public:
  DpkgVersion() = default;
  // Refuses what dpkg refuses: empty versions, a non-numeric epoch, an upstream part that
  // does not start with a digit is accepted (dpkg only warns), spaces are refused.
  static Result<DpkgVersion> Parse(std::string_view text);

  unsigned long epoch() const { return epoch_; }
  const std::string& upstream() const { return upstream_; }
  const std::string& revision() const { return revision_; }
  const std::string& str() const { return text_; }

  friend std::strong_ordering operator<=>(const DpkgVersion& a, const DpkgVersion& b);
  friend bool operator==(const DpkgVersion& a, const DpkgVersion& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }

 private:
  std::string text_;
  unsigned long epoch_ = 0;
  std::string upstream_;
  std::string revision_;
};

// -1, 0 or 1, like dpkg --compare-versions; unparseable versions compare as text.
int CompareVersions(std::string_view a, std::string_view b);

// A relation in a dependency field: <<, <=, =, >=, >> (and the obsolete < and > meaning <= and
// >=, which dpkg still reads).
enum class VersionOp { kAny, kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };

Result<VersionOp> ParseVersionOp(std::string_view op);
std::string_view VersionOpString(VersionOp op);
bool Satisfies(const DpkgVersion& have, VersionOp op, const DpkgVersion& want);

}  // namespace plinth::debian
