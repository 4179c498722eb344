// KeySources: everything a target's cache key reads that is not already in the BuildPlan, behind
// three small interfaces, so that the key is computed the same way by `plan` and `build` and, in
// tests, from memory (no store, no registry, no disk):
//   ContextFiles  — a build context's files, by path relative to the context, never following a
//                   symlink (the key follows links itself, inside the context: context_sources.h);
//   BaseResolver  — the image a FROM, COPY --from or mount names, as it stands now; never pulls;
//   RecipeReader  — a Debian recipe and the lock section of one architecture.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oci/platform.h"
#include "util/result.h"

namespace plinth::plan {

struct PathInfo {
  enum class Type { kFile, kDirectory, kSymlink, kOther } type = Type::kFile;
  uint32_t mode = 0;        // permission bits incl. setuid/setgid/sticky (st_mode & 07777)
  std::string link_target;  // kSymlink: the link's text, as written
};

class ContextFiles {
 public:
  virtual ~ContextFiles() = default;
  // What is at `rel` (relative to `context`, "." is the context), the last component not
  // followed; nullopt when nothing is there. Callers only pass paths whose parents they have
  // seen to be folders.
  virtual Result<std::optional<PathInfo>> Lstat(const std::string& context,
                                                const std::string& rel) = 0;
  // The names in folder `rel`, sorted.
  virtual Result<std::vector<std::string>> List(const std::string& context,
                                                const std::string& rel) = 0;
  // "sha256:<hex>" of regular file `rel`.
  virtual Result<std::string> Digest(const std::string& context, const std::string& rel) = 0;
};

struct BaseImage {
  std::string digest;                 // the platform manifest's, "sha256:…"
  std::vector<std::string> on_build;  // its config's ONBUILD triggers, which a FROM runs
};

class BaseResolver {
 public:
  virtual ~BaseResolver() = default;
  // The image `ref` names for `platform` where the build will read it; an error of kind
  // kNotFound or kUnavailable when it is not there yet (the key is then pending, not failed).
  virtual Result<BaseImage> Resolve(const std::string& ref, const oci::Platform& platform) = 0;
};

struct RecipeInputs {
  std::string recipe;  // "sha256:…" of the recipe file
  std::string lock;    // "sha256:…" of its lock section for the architecture; "" if none yet
};

class RecipeReader {
 public:
  virtual ~RecipeReader() = default;
  virtual Result<RecipeInputs> Read(const std::string& recipe_path,
                                    const std::string& architecture) = 0;
};

struct KeySources {
  ContextFiles* files = nullptr;
  BaseResolver* bases = nullptr;
  RecipeReader* recipes = nullptr;
};

}  // namespace plinth::plan
