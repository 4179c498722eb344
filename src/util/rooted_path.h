// Paths inside a root folder (a build context, an unpacked image) read as a container would see
// them: every symlink met on the way, absolute or with `..`, resolves relative to the root and
// never leaves it, as BuildKit resolves COPY sources. Every reader of a context or an unpacked
// tree goes through here: a `root + "/" + rel` handed to the kernel would follow a link such
// as `cfg -> /etc` out to this machine's files.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>

#include "util/byte_stream.h"
#include "util/result.h"

namespace plinth {

// As Linux's own path walk.
inline constexpr int kMaxSymlinksInPath = 40;

// The path `rel` names inside `root`, relative to it and cleaned, with every symlink on the way
// resolved inside the root; the last component too when `follow_last`. The result has no
// symlink in it but (when !follow_last) its last component. A missing last component is not an
// error (the result names where it would be); a missing or non-folder component before it is
// NotFound, and more than kMaxSymlinksInPath links is InvalidInput.
Result<std::string> ResolveInRoot(const std::string& root, std::string_view rel, bool follow_last);

// lstat of `rel` inside `root`: the folders on the way resolved inside the root, the last
// component not followed. nullopt when there is nothing there.
Result<std::optional<struct stat>> LstatInRoot(const std::string& root, std::string_view rel);

// stat of `rel` inside `root`, every link (the last one too) resolved inside the root.
Result<std::optional<struct stat>> StatInRoot(const std::string& root, std::string_view rel);

// Opens the regular file `rel` names inside `root` (every link, the last one too, resolved
// inside the root) with openat2(RESOLVE_IN_ROOT) where the kernel has it, and the walk above
// otherwise. Anything but a regular file is refused (a FIFO is never waited on); the source
// yields at most the size the file had when opened.
Result<FileSource> OpenInRoot(const std::string& root, std::string_view rel);

// The content of the regular file `rel` inside `root`, refused over `max_bytes`.
Result<std::string> ReadFileInRoot(const std::string& root, std::string_view rel,
                                   uint64_t max_bytes);

}  // namespace plinth
