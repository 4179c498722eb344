// DpkgRecords: pure readers of an image's dpkg data, over file contents (the image walk in
// audit/dpkg_database.h hands them the files): package records from the multi-record
// /var/lib/dpkg/status or a one-record /var/lib/dpkg/status.d/NAME, and the paths a package
// owns from /var/lib/dpkg/info/PKG.list or status.d/NAME.md5sums. All of it is hostile input:
// a record without a Package field or with a version dpkg would refuse is an error naming the
// file and line; records whose Status is not "installed" are left out.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "audit/image_package.h"
#include "util/result.h"

namespace plinth::audit {

inline constexpr size_t kMaxStatusFile = 64u << 20;  // 64 MiB; a large image's is ~5 MiB
inline constexpr size_t kMaxFileList = 16u << 20;    // one .list or .md5sums file
inline constexpr size_t kMaxOwnedPaths = 2000000;

// The installed packages of a status file or status.d record, in file order. `record_path`
// is the file's path in the image ("var/lib/dpkg/status"); it names errors and is copied into
// each package. A record without Status (distroless, plinth's bases) counts as installed.
Result<std::vector<ImagePackage>> ParseDpkgRecords(std::string_view text,
                                                   const std::string& record_path);

// Adds the paths a .list file (absolute paths, one a line) or an .md5sums file ("HASH  path",
// relative) names to `owned`, relative and without a leading "/". Errors past kMaxOwnedPaths.
Status AddOwnedPaths(std::string_view text, bool md5sums, const std::string& file,
                     std::set<std::string>* owned);

// Whether `path` (relative) is owned, also under its merged-/usr spelling: a package lists
// "bin/ls" and the image holds it as "usr/bin/ls" behind the /bin symlink, or the other way.
bool IsOwned(const std::set<std::string>& owned, const std::string& path);

}  // namespace plinth::audit
