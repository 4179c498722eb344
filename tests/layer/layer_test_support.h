// Helpers shared by the layer tests: building a fixed tree on disk, running layers through
// LayerBuilder, and crafting tars with names the writer would refuse.
#pragma once

#include <string>
#include <vector>

#include "layer/layer_builder.h"
#include "layer/tar_entry.h"

namespace plinth::layer::testing {

// A small fixed tree under `dir`: files with set modes (one setuid), a nested directory, a
// symlink and a hard link. `mtime` is stamped on every path.
void MakeFixedTree(const std::string& dir, int64_t mtime);

// Builds one layer from `dir` (added at /app) into `blob_path`.
LayerInfo BuildFromDir(const std::string& dir, const std::string& blob_path,
                       LayerOptions options = {});

// A raw tar of the given members (no name checks: for testing the reader); regular members get
// `content` as data.
std::string RawTar(const std::vector<TarEntry>& entries, const std::string& content = "x");

// Runs a command line through sh -c; returns its stdout; fails the test on a non-zero exit.
std::string Shell(const std::string& command);

}  // namespace plinth::layer::testing
