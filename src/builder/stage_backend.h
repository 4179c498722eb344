// StageBackend: builds a Dockerfile stage that RUNs commands with an outside tool. The stage's
// base comes from plinth's store and the result is imported back into it, verified blob by
// blob, so the rest of the target continues natively. The backend names:
//   native         no outside tool: the stage engine runs each RUN itself on runc over overlay
//                  snapshots (builder/run_step_native.h, docs/native-run.md), the default; where
//                  that cannot work here the fleet builder falls back to buildah and says so.
//                  It is not a StageBackend object: MakeStageBackend refuses the name;
//   buildah        `buildah build`, daemonless, from Debian;
//   podman         `podman build`, with the same private storage and configuration as buildah;
//   docker-buildx  `docker buildx build`, the base handed over as a named oci-layout build
//                  context and the result written as an OCI tarball; needs the buildx plugin and
//                  a reachable builder (a Docker daemon, or a builder made with `buildx create`);
//   none           no backend: a stage that RUNs is an error that names it.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "builder/image_source.h"
#include "builder/run_step.h"
#include "dockerfile/stage_graph.h"
#include "oci/layout_store.h"
#include "util/subprocess.h"

namespace plinth::builder {

struct BackendStageRequest {
  const dockerfile::StageGraph* graph;
  int stage;
  std::string base_name;  // the base image's name in the store; "" for scratch
  std::string context_dir;
  std::map<std::string, std::string> build_args;
  oci::Platform platform;
  oci::Descriptor base;   // the base's manifest in the store (unset for scratch)
  int64_t timestamp = 0;  // SOURCE_DATE_EPOCH: the stage image's times and its files' mtimes
  const BuildSecrets* secrets = nullptr;  // --secret: handed to the tool's own --secret
};

class StageBackend {
 public:
  virtual ~StageBackend() = default;
  virtual std::string_view name() const = 0;
  // Whether the tool can build here; the error says what is missing and what to install or
  // start. It runs a process or two, so a build checks once, and only when a stage RUNs.
  // BuildStage may be called only after this succeeded.
  virtual Status CheckAvailable() = 0;
  // The stage's image, imported into the store (manifest descriptor and image value). Called
  // from several worker threads at once.
  virtual Result<ResolvedImage> BuildStage(const BackendStageRequest& request) = 0;
};

inline constexpr std::array<std::string_view, 5> kStageBackendNames{"native", "buildah", "podman",
                                                                    "docker-buildx", "none"};
inline constexpr std::string_view kDefaultStageBackend = "native";
// What `native` falls back to when RUN cannot run natively here.
inline constexpr std::string_view kNativeFallbackBackend = "buildah";

// kInvalidInput naming the choices unless `name` is one of kStageBackendNames.
Status CheckStageBackendName(std::string_view name);

// The backend called `name` (CheckStageBackendName's error otherwise; "native" is not a
// StageBackend: an error saying so).
Result<std::unique_ptr<StageBackend>> MakeStageBackend(std::string_view name,
                                                       const oci::LayoutStore& store);

// What the backends share.

// The stage's lines as written (heredoc bodies included), after the global ARGs, with its FROM
// replaced by `from`: the Dockerfile the backend builds.
Result<std::string> BackendStageText(const BackendStageRequest& request, const std::string& from);

// `root` (a manifest or an index the backend's output put in the store, untagged) as the stage's
// image for the request's platform.
Result<ResolvedImage> AdoptStageImage(const oci::LayoutStore& store, const oci::Descriptor& root,
                                      const BackendStageRequest& request);

// The error for a tool run that exited non-zero: what ran, for which stage, and the tail of what
// it said.
Error BackendToolFailed(const std::string& what, const BackendStageRequest& request,
                        const SubprocessResult& run);

// The first line a failed tool printed (on stderr, else stdout), quoted, for a one-line error.
std::string ToolSaid(const SubprocessResult& run);

// `--secret id=…,src=…` for each build secret, as buildah, podman and buildx take them. A secret
// given as an environment variable is written to a 0600 file under `work_dir` first (buildah
// 1.28 reads secrets from files only); one whose variable is unset is left out, so a RUN that
// requires it fails in the tool naming it.
Result<std::vector<std::string>> BackendSecretFlags(const BackendStageRequest& request,
                                                    const std::string& work_dir);

// Tools want absolute paths in `oci:` references and configuration files.
std::string AbsolutePath(const std::string& path);

// A short random name for the temporary images a backend makes.
std::string RandomImageName();

}  // namespace plinth::builder
