// FindInLowers: where a path of a RUN step's merged overlay view lives on the host, found by
// looking through the read-only lower folders as overlayfs would, without mounting anything.
// The integration reads the image's /etc/passwd and /etc/group through it (USER name lookup)
// and the mount stubs ask it whether a mount target exists before the run.
//
// The rules are overlayfs' own: the top-most lower that has a name wins; a 0:0 character device
// is a whiteout (the name is gone); a folder merges with the same folder in the lowers beneath
// it until one of them has a non-folder there or is opaque (xattr trusted.overlay.opaque=y),
// whose lower contents are hidden. Symlinks met in the folders on the way (and in the last
// component when asked) are resolved in the merged view: absolute targets and `..` stay inside
// it, never on this machine's files, and at most kMaxSymlinksInPath links are followed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth::run {

// The host path of `path` (absolute or relative to the merged root) in the merged view of
// `lowers` (bottom first, as SnapshotStore::Lowers gives them): the entry in the top-most lower
// that shows it. nullopt when it is absent, whited out, hidden under an opaque folder, or a
// folder on the way is missing or not a folder. The last component is a symlink itself unless
// `follow_last`. Errors: a symlink loop (InvalidInput), an I/O error other than absence.
Result<std::optional<std::string>> FindInLowers(const std::vector<std::string>& lowers,
                                                std::string_view path, bool follow_last = false);

// `path` resolved in the merged view of `lowers`, relative to its root: every symlink met (the
// last component too) resolved as FindInLowers resolves them; from the first component that is
// absent on, the rest as named. This is where a runtime that resolves a mount target inside the
// root filesystem (runc does) makes the mount point: a dangling /etc/resolv.conf link to
// ../run/systemd/resolve/stub-resolv.conf resolves to run/systemd/resolve/stub-resolv.conf.
Result<std::string> ResolveInLowers(const std::vector<std::string>& lowers, std::string_view path);

}  // namespace plinth::run
