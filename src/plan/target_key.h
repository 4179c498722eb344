// TargetKey: the cache key of one target of a BuildPlan, computed from everything that reaches
// its image and nothing else, read through KeySources (key_sources.h), so that `plan` and
// `build` compute it alike and tests compute it in memory. Inputs (names as `plan --explain`
// prints them; grammar of the key in cache_key.h):
//
//   every target    "format" (kCacheFormatVersion), "platform", "epoch" (SOURCE_DATE_EPOCH)
//   Dockerfile      "arg:NAME"        each global ARG and automatic platform ARG, as expanded
//                                     for this platform with the build args applied
//                   "build-arg:NAME"  each build arg of the target (plinth.yaml, or
//                                     `plinth build --build-arg`)
//                   "target-stage"    `plinth build --target STAGE`, when given
//                   "stage:NAME"      sha256 of each stage the target builds: its FROM as
//                                     expanded, every instruction's text (comments are not
//                                     part of it), here-document bodies, the escape token
//                   "base:REF"        the manifest digest of each image a FROM, COPY --from,
//                                     mount or ONBUILD trigger names ("base:REF PLATFORM" when
//                                     a FROM --platform reads another platform's)
//                   "context:PATH"    each context file a COPY/ADD (an ONBUILD trigger's too) or
//                                     a RUN bind mount reads, with its attributes
//                                     (context_sources.h); a source spelled with a variable
//                                     reads the whole context
//                   "dockerignore"    which .dockerignore is in force and its patterns, when the
//                                     context is read
//                   "backend"         what builds the stages that RUN, when one does
//   recipe          "recipe" (sha256 of the recipe file), "recipe-lock" (its lock section for
//                   this architecture), "user" (the `:nonroot` variants' 65532)
//
// The key never pulls: a base that is not where the build will read it leaves the key
// pending (`missing`), and the builder brings it in and computes the key again.
#pragma once

#include <string>
#include <vector>

#include "plan/build_plan.h"
#include "plan/cache_key.h"
#include "plan/key_sources.h"

namespace plinth::plan {

struct KeyOptions {
  int64_t epoch = 0;    // the build's timestamp (SOURCE_DATE_EPOCH)
  std::string backend;  // what builds stages that RUN
};

// An image the key needs that is not where the build reads it yet.
struct MissingImage {
  std::string ref;
  oci::Platform platform;
  bool operator==(const MissingImage&) const = default;
};

struct TargetKey {
  CacheKey key;  // with "missing" as the value of each missing image's input
  std::vector<MissingImage> missing;
  bool complete() const { return missing.empty(); }
};

Result<TargetKey> ComputeTargetKey(const TargetSpec& spec, const KeyOptions& options,
                                   KeySources& sources);

}  // namespace plinth::plan
