// CopySources: what a COPY or ADD source list selects inside a root folder (the build context,
// or the files of another stage or image), with docker's rules:
//   - each source is cleaned and taken relative to the root (`/app`, `./app`, `app` are equal);
//   - wildcards are Go's filepath.Match (`*`, `?`, `[a-z]`, none crossing `/`), matched against
//     whole paths; a pattern that matches nothing is an error, a plain path that does not exist too;
//   - a directory source selects its contents (recursively), not the directory itself;
//   - .dockerignore'd paths (context only) are invisible.
// The result lists every selected file, folder and link with its path below the source, which
// is what both the stage engine (to build the layer) and the cache key (to hash exactly the
// context files a target reads) need.
#pragma once

#include <string>
#include <vector>

#include "dockerfile/dockerignore.h"
#include "util/result.h"

namespace plinth::builder {

struct SelectedPath {
  std::string root_relative;  // path below the root, e.g. "app/src/main.py"
  std::string dest_relative;  // path below the COPY destination, e.g. "src/main.py"
  enum class Type { kFile, kDirectory, kSymlink } type = Type::kFile;
};

struct SourceSelection {
  std::vector<SelectedPath> paths;  // sorted by dest_relative, deduplicated
  // True when the destination must be a directory: several sources, a wildcard, or a
  // directory source (docker's rule: then DEST is a folder whatever its spelling).
  bool dest_is_directory = false;
};

// `ignore` may be null (stage and image roots have no .dockerignore).
Result<SourceSelection> SelectSources(const std::string& root, const std::vector<std::string>& sources,
                                      const dockerfile::DockerIgnore* ignore);

}  // namespace plinth::builder
