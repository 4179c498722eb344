// RebaseSafety: what a Dockerfile says about whether its image may later be moved to a new
// base by swapping layers (plinth rebase) instead of being rebuilt.
//
// The image's own layers (above the base) are only independent of the base's files when no
// command RAN against those files. It is unsafe when
//   - a stage of the final stage's FROM chain RUNs (its layers are the result of commands that
//     read the old base: a compiled extension, an apt-get, a generated file), or
//   - another stage RUNs on the same base image (FROM it, directly or through earlier stages)
//     and the final image copies its output: that output was made with the old base's files.
// COPY, ADD, WORKDIR and config-only instructions are treated as base-independent, as crane
// does (a COPY --chown=NAME resolved through the old base's /etc/passwd keeps that uid).
// The verdict is recorded on the built image (kRebaseUnsafeAnnotation), so `plinth rebase`
// can refuse from the image alone.
#pragma once

#include <optional>
#include <string>

#include "dockerfile/stage_graph.h"

namespace plinth::builder {

// Present (with the reason as its value) on an image that must not be rebased.
inline constexpr const char* kRebaseUnsafeAnnotation = "dev.plinth.rebase.unsafe";

// The stage at the root of the target stage's FROM chain (the stage that names its base image,
// or FROM scratch).
int BaseStage(const dockerfile::StageGraph& graph);

// The base image the target stage's FROM chain starts from (expanded), or "" for scratch.
std::string BaseImageRef(const dockerfile::StageGraph& graph);

// Why rebasing the target stage's image onto a new base would be unsafe, or nullopt if it is
// safe. The reason names the stage and the RUN instruction with its location.
std::optional<std::string> RebaseUnsafeReason(const dockerfile::StageGraph& graph);

}  // namespace plinth::builder
