// The steps of the stage engine that write layers: COPY/ADD, and WORKDIR's folder creation.
// Each produces one layer (docker: one per instruction) holding exactly the new or changed
// paths, with parent folders carrying the metadata they have in the image below (so a layer
// never changes the owner or mode of a folder it only passes through).
#pragma once

#include "builder/image_source.h"
#include "builder/rootfs_cache.h"
#include "builder/stage_vars.h"
#include "dockerfile/instructions.h"
#include "dockerfile/stage_graph.h"

namespace plinth::builder {

struct StageEngineOptions;
using StageResults = std::map<int, ResolvedImage>;

// What a step of a stage can reach.
struct StageContext {
  const dockerfile::StageGraph* graph;
  int stage;  // the index of the stage being built
  const StageEngineOptions* options;
  const oci::LayoutStore* store;
  ImageSource* images;
  RootfsCache* rootfs;
  const StageResults* done;
};

// COPY or ADD instruction `index` of the current stage (-1 for an ONBUILD trigger).
Result<oci::Image> ApplyCopy(const StageContext& ctx, oci::Image image, const StageVars& vars,
                             const dockerfile::Instruction& ins, int index);

// WORKDIR: a layer creating `dir` (absolute, clean) if the image does not have it yet, owned by
// the image's USER as BuildKit does; the image unchanged otherwise.
Result<oci::Image> CreateWorkdir(const StageContext& ctx, oci::Image image, const std::string& dir);

}  // namespace plinth::builder
