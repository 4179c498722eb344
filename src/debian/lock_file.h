// LockFile: plinth.lock, the exact Debian packages each base recipe was built from, so that the
// next build fetches the same bytes and produces the same digests. One file may hold several
// recipes and architectures; a build rewrites only its own sections (temp file, rename).
//
// Grammar (line oriented, UTF-8, "\n" line ends; '#' lines and blank lines are ignored):
//
//   lock-file := "plinth-lock 1" NL section*
//   section   := "[" recipe "/" arch "]" SP "inputs=" hex64 NL entry*
//   entry     := package SP version SP arch SP "sha256:" hex64 SP size SP filename NL
//
// `inputs` is the sha256 of what resolution depended on (suite, sources, packages, excludes,
// essential policy); when the recipe changes it no longer matches and the section is
// re-resolved. `arch` of an entry is the package's own ("all" or the section's). `filename` is
// the pool path in the archive; sections and entries are sorted, so the file is canonical and
// its hash (the lock digest shown in image labels) is stable.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::debian {

struct LockedPackage {
  std::string name;
  std::string version;
  std::string architecture;
  std::string sha256;
  uint64_t size = 0;
  std::string filename;

  friend bool operator==(const LockedPackage&, const LockedPackage&) = default;
};

struct LockSection {
  std::string inputs;                   // sha256 hex of the resolution inputs
  std::vector<LockedPackage> packages;  // sorted by name
};

// A plinth.lock larger than this is refused before it is read (a real one holds a few hundred
// packages per section: tens of KiB).
inline constexpr uint64_t kMaxLockFileSize = 64u << 20;  // 64 MiB

class LockFile {
 public:
  // A missing file is an empty lock; a malformed one is an error with file:line; one that is
  // not a regular file or is larger than kMaxLockFileSize is refused unread.
  static Result<LockFile> Load(const std::string& path);
  static Result<LockFile> Parse(std::string_view text, const std::string& file);

  const LockSection* Find(const std::string& recipe, const std::string& arch) const;
  void Set(const std::string& recipe, const std::string& arch, LockSection section);

  std::string Serialize() const;
  // The sha256 of one section's canonical text: what an image's label records.
  std::string SectionDigest(const std::string& recipe, const std::string& arch) const;
  Status Save(const std::string& path) const;

 private:
  std::map<std::pair<std::string, std::string>, LockSection> sections_;
};

}  // namespace plinth::debian
