// StepCache: the cache of native RUN steps. A step's key is sha256 over everything the step can
// see: a version, the platform, the diff_ids of the image so far (its parent), the config fields
// a RUN sees (env, user, workdir, shell), and the expanded instruction (argv with heredoc bodies,
// /dev/pipes files, the ARGs in scope, network, and each mount's type, target, id, options and,
// for a bind mount, the digest of what it binds: context files as plan's key hashes them, or the
// source stage's diff_ids). A secret's value is never an input: only its id and target.
//
// The layer's form is an input too: the timestamp its mtimes are clamped to (SOURCE_DATE_EPOCH)
// and its compression, so a record never hands a build a layer a clean one would not write.
//
// Records live under STORE/plinth/step-cache/<key>, written atomically: the layer's descriptor
// and diff_id. A hit needs the layer blob in the store (gc may have taken it); any failure to
// read or write a record is a miss, never a failed build.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "builder/run_step.h"
#include "layer/compression.h"
#include "oci/descriptor.h"
#include "oci/digest.h"
#include "oci/image_config.h"
#include "oci/layout_store.h"
#include "oci/platform.h"

namespace plinth::builder {

// Bump when what a step does for the same key changes.
inline constexpr int kStepCacheVersion = 1;

struct StepKeyInput {
  oci::Platform platform;
  int64_t timestamp = 0;  // the layer's mtimes are clamped to it
  layer::Compression compression = layer::Compression::kGzip;
  std::vector<std::string> diff_ids;           // the image's layers so far
  const oci::RuntimeConfig* config = nullptr;  // env, user, workdir, shell
  const StepProcess* process = nullptr;        // argv, pipes, network, mounts, created_by (ARGs)
  std::vector<ArgInScope> args;
  // Per mount of `process` (same order): the digest of what a bind mount binds; "" otherwise.
  std::vector<std::string> mount_contents;
};

// "sha256:<hex>"; equal inputs give equal keys, and every input above changes it.
std::string StepCacheKey(const StepKeyInput& input);

struct StepRecord {
  oci::Descriptor layer;
  oci::Digest diff_id;
};

class StepCache {
 public:
  explicit StepCache(const oci::LayoutStore& store);
  // The record of `key` whose layer blob is in the store; nullopt otherwise.
  std::optional<StepRecord> Lookup(const std::string& key) const;
  Status Record(const std::string& key, const StepRecord& record) const;

 private:
  const oci::LayoutStore& store_;
  std::string dir_;  // STORE/plinth/step-cache
};

}  // namespace plinth::builder
