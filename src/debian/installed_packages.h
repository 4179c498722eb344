// Installed packages: what an image already has, read from the /var/lib/dpkg/status.d/<package>
// records that `plinth base build` (and distroless) write. A recipe with `from:` layers its
// packages over such an image and installs only what these records lack. The records come from
// an image (hostile input): each is bounded in size, their number is bounded, and a record that
// does not parse is an error naming the image's file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "debian/resolver.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::debian {

inline constexpr const char* kStatusDir = "var/lib/dpkg/status.d";
inline constexpr uint64_t kMaxStatusRecord = 1u << 20;  // 1 MiB; real records are < 10 KiB
inline constexpr size_t kMaxStatusRecords = 100000;

// Record file name (as under status.d/) → its text; `.md5sums` files are not records.
using StatusRecords = std::map<std::string, std::string>;

// The packages the records describe, sorted by name. `image` names the image in errors.
Result<std::vector<PresentPackage>> ParseStatusRecords(const StatusRecords& records,
                                                         const std::string& image);

// sha256 of the names and versions: what a lock's inputs record of the image underneath.
std::string InstalledDigest(const std::vector<PresentPackage>& installed);

// The status.d records of an image as its layers leave them (later layers override, whiteouts
// remove).
Result<StatusRecords> ReadStatusRecords(const oci::LayoutStore& store, const oci::Image& image,
                                        const std::string& name);

}  // namespace plinth::debian
