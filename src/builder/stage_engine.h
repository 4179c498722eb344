// StageEngine: builds Dockerfile stages natively, with no daemon. It applies
// each instruction to an oci::Image value, as BuildKit's dockerfile2llb would:
//   FROM (an ImageSource, or scratch, or an earlier stage), ONBUILD triggers of the base,
//   COPY/ADD (context, another stage, or an image; globs, --chown, --chmod, --link, docker's
//   trailing-slash and directory rules, ADD's local archive extraction), ENV, ARG, USER,
//   WORKDIR, ENTRYPOINT, CMD, LABEL, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, SHELL, ONBUILD,
//   MAINTAINER.
// The config and history it writes look like BuildKit's for the same Dockerfile (history
// `created_by` strings, `buildkit.dockerfile.v0` comments, `empty_layer` for config-only steps).
// RUN (and ONBUILD RUN triggers) runs natively on runc over overlay snapshots when the options
// carry a NativeRun (builder/run_step_native.h); without one a stage with RUN is not the
// engine's: BuildStage refuses it and the caller sends it to a backend (buildah), then hands
// the result back through `StageResults`.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "builder/build_progress.h"
#include "builder/image_source.h"
#include "builder/rootfs_cache.h"
#include "dockerfile/dockerignore.h"
#include "dockerfile/stage_graph.h"
#include "layer/layer_builder.h"
#include "oci/layout_store.h"

namespace plinth::builder {

struct NativeRun;

struct StageEngineOptions {
  std::string context_dir;
  std::map<std::string, std::string> build_args;
  const dockerfile::DockerIgnore* ignore = nullptr;
  oci::Platform platform;
  int64_t timestamp = 0;  // history and config `created`
  layer::Compression compression = layer::Compression::kGzip;
  TargetProgress progress;  // told of each instruction and each layer written
  // RUN natively (builder/run_step_native.h); null: a stage that RUNs is refused.
  const NativeRun* native_run = nullptr;
};

// Images of the stages built so far, by stage index.
using StageResults = std::map<int, ResolvedImage>;

class StageEngine {
 public:
  StageEngine(const oci::LayoutStore& store, ImageSource& images, RootfsCache& rootfs,
              StageEngineOptions options)
      : store_(store), images_(images), rootfs_(rootfs), options_(std::move(options)) {}

  // Builds stage `index` of `graph` (its dependencies must be in `done`); stores its layers and
  // returns the image (config and manifest not yet written).
  Result<oci::Image> BuildStage(const dockerfile::StageGraph& graph, int index,
                                const StageResults& done);

  // The base image of a stage: an earlier stage, scratch, or through the ImageSource.
  Result<ResolvedImage> ResolveBase(const dockerfile::StageGraph& graph, int index,
                                    const StageResults& done);

 private:
  const oci::LayoutStore& store_;
  ImageSource& images_;
  RootfsCache& rootfs_;
  StageEngineOptions options_;
};

}  // namespace plinth::builder
