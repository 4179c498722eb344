// BuildProgress: what a target is doing while it builds, for a live view of the build. The
// executor's observer sees targets start and finish; this sink sees the steps in between (a
// Dockerfile instruction, a backend stage, a recipe, a push), the bytes each target puts
// into its layers and what its RUN steps print. Calls come from worker threads, concurrently: a sink serialises itself.
#pragma once

#include <cstdint>
#include <string_view>

#include "plan/target_graph.h"

namespace plinth::builder {

class BuildProgress {
 public:
  virtual ~BuildProgress() = default;
  // The target moved to a new step: "[builder 2/4] COPY app/ /app", "buildah: stage builder".
  virtual void OnStep(plan::TargetId id, std::string_view step) {}
  // The target put `bytes` more bytes of file content into the layers it is writing (counted
  // as they are read, so a long COPY shows its progress).
  virtual void OnBytes(plan::TargetId id, int64_t bytes) {}
  // What a running RUN step printed (stdout and stderr merged), a chunk at a time, as it
  // comes; a chunk may hold several lines or part of one.
  virtual void OnOutput(plan::TargetId id, std::string_view text) {}
};

// One target's handle on a sink, handed to the code that builds it; no sink: no-ops.
struct TargetProgress {
  BuildProgress* sink = nullptr;
  plan::TargetId id = 0;

  void Step(std::string_view step) const {
    if (sink) sink->OnStep(id, step);
  }
  void Bytes(int64_t bytes) const {
    if (sink && bytes > 0) sink->OnBytes(id, bytes);
  }
  void Output(std::string_view text) const {
    if (sink && !text.empty()) sink->OnOutput(id, text);
  }
};

}  // namespace plinth::builder
