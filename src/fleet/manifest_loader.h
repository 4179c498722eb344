// Loading plinth.yaml: YAML → Fleet, then validation (manifest_validator.h). Every problem is
// collected and reported at once, each at `plinth.yaml:LINE:COL`: YAML syntax, unknown keys
// (with a did-you-mean), wrong types, unknown tiers, groups and targets, duplicate names and
// images, dependency cycles, and policy contradictions (a service whose tier forbids the base
// it declares). The schema is docs/manifest.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fleet/fleet.h"
#include "util/result.h"

namespace plinth::fleet {

enum class FileChecks { kCheckFilesExist, kSkipFileChecks };

// Parses and validates manifest text. `path` names the file in locations and its folder is
// the root for relative paths (Dockerfiles are checked to exist unless told not to).
Result<Fleet> LoadFleetFromString(std::string_view content, const std::string& path,
                                  FileChecks checks = FileChecks::kCheckFilesExist);

// plinth.yaml larger than this is refused unread (a fleet of hundreds of targets is < 1 MiB).
inline constexpr uint64_t kMaxManifestSize = 4u << 20;  // 4 MiB

// Reads and loads a plinth.yaml (a missing file is kNotFound; one that is not a regular file
// or is larger than kMaxManifestSize is kInvalidInput).
Result<Fleet> LoadFleet(const std::string& path);

// "150MB", "1.5GiB", "2048" → bytes.
Result<int64_t> ParseSize(std::string_view text);

}  // namespace plinth::fleet
