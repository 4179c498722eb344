// Migration: `plinth migrate`, the fix for PL101/PL109. For each service it rewrites the image
// of the runtime stage's FROM (the root of the runtime stage's FROM chain) to what the tier's
// policy asks, and touches nothing else — comments, spacing, escapes, flags, `AS name` and the
// other stages stay byte for byte. The new base is, in order:
//   1. the base plinth.yaml declares for the service (a fleet base is written with its image
//      template, `{arch}` as `${TARGETARCH}`, so one Dockerfile serves every platform);
//   2. nothing, when the current base already satisfies the tier;
//   3. a fleet base → the upstream image that base is built on (application: restore distroless);
//   4. an upstream image → the fleet base built on the same repository (foundation:
//      `gcr.io/distroless/python3-debian12` → lucid-base-python), else the only/first fleet base
//      the tier allows.
// A second run changes nothing.
#pragma once

#include <string>
#include <vector>

#include "fleet/fleet.h"
#include "util/result.h"

namespace plinth::lint {

struct FileMigration {
  std::string target;  // the service
  std::string path;    // its Dockerfile
  Location from;       // the FROM line rewritten
  std::string old_base, new_base;  // as written in the file
  std::string before, after;       // whole file contents
};

struct MigrationPlan {
  std::vector<FileMigration> changes;   // only files that change
  std::vector<std::string> unresolved;  // "FILE:LINE:COL: why" for services left alone
};

Result<MigrationPlan> PlanMigration(const fleet::Fleet& fleet);
// Writes every change atomically.
Status ApplyMigration(const MigrationPlan& plan);

// A unified diff (`diff -u` style, 3 lines of context) between two texts with the same line
// count, as migration produces them. Empty when they are equal.
std::string UnifiedDiff(const std::string& before, const std::string& after, const std::string& old_name,
                        const std::string& new_name);

// The fleet base's image template as a Dockerfile writes it for every platform:
// "{namespace}/lucid-base:latest-{arch}" → "pickme/lucid-base:latest-${TARGETARCH}".
Result<std::string> PlatformIndependentImage(const fleet::Fleet& fleet, const fleet::Target& base);

}  // namespace plinth::lint
