// Path arithmetic that never leaves a root. Archive member names and COPY destinations are
// untrusted: `..`, absolute names and (when resolving on disk) symlinks must not escape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth {

// The non-empty components of a slash-separated path ("/a//b/" -> {"a", "b"}).
std::vector<std::string_view> PathComponents(std::string_view path);

// Lexically cleans a slash-separated path: collapses `//` and `.`, resolves `..` against
// earlier components. Leading `/` is kept. "" and "." become ".".
std::string CleanPath(std::string_view path);

// Cleans `name` as a path inside a root ("a/../b" -> "b", "/etc" -> "etc"). Refuses names
// whose `..` would climb above the root. The result is relative, never "" (root is ".").
Result<std::string> RelativeInsideRoot(std::string_view name);

// Like RelativeInsideRoot but refuses absolute names too (for tar members, which must be
// relative).
Result<std::string> StrictRelative(std::string_view name);

// Joins root and a name that RelativeInsideRoot accepts.
Result<std::string> SafeJoin(const std::string& root, std::string_view name);

// Where a symlink at `link_path` (relative to root) with target `target` points, relative to
// the root; refuses targets that resolve outside it (absolute targets are taken relative to
// the root, as a container runtime would see them, so `/etc/x` is fine but `../../x` is not).
Result<std::string> ResolveLinkInsideRoot(std::string_view link_path, std::string_view target);

}  // namespace plinth
