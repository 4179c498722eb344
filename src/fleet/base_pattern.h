// BasePattern: one entry of a tier's `allow`/`deny` list. Either a glob over an image
// reference (`gcr.io/distroless/*`, `python:3.*`) or a base built by this fleet
// (`fleet:*` for any, `fleet:lucid-base-python` for one). A glob without `:` or `@` is matched
// against the repository name only (`gcr.io/distroless/base-debian12`), one with a tag or digest
// against the whole reference as docker prints it; `*` matches any run of characters, `/`
// included, `?` one character.
#pragma once

#include <string>
#include <string_view>

#include "util/error.h"

namespace plinth::fleet {

enum class PatternKind { kImageGlob, kFleetBase };

struct BasePattern {
  PatternKind kind = PatternKind::kImageGlob;
  std::string pattern;  // the glob, or the base name ("*" for any fleet base)
  std::string text;     // as written in plinth.yaml
  Location location;

  static BasePattern FromText(std::string_view text, Location location = {});
};

// fnmatch-style glob: `*` any run (including `/`), `?` one character, everything else literal.
bool GlobMatch(std::string_view pattern, std::string_view text);

// The repository name of a reference as docker prints it, without tag or digest:
// "gcr.io/distroless/base-debian12:nonroot" → "gcr.io/distroless/base-debian12",
// "redis" → "redis", "docker.io/library/redis:7" → "redis".
std::string RepositoryOf(std::string_view reference);

// Whether an upstream image reference (not a fleet base) matches an image glob.
bool ImageGlobMatches(std::string_view glob, std::string_view reference);

}  // namespace plinth::fleet
