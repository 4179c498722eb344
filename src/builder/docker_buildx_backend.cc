#include "builder/docker_buildx_backend.h"

#include "registry/oci_archive_import.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::builder {
namespace {

constexpr const char* kBaseContext = "plinth-stage-base";

}  // namespace

Status DockerBuildxBackend::CheckAvailable() {
  if (!FindProgram("docker"))
    return Error(ErrorKind::kFailed,
                 "docker is not installed (install Docker Engine and its buildx plugin, "
                 "docker-buildx-plugin from Docker's apt repository)");
  PLINTH_TRY(SubprocessResult version, RunProcess({"docker", "buildx", "version"}));
  if (!version.ok())
    return Error(ErrorKind::kFailed,
                 "docker buildx is not available: `docker buildx version` says: " + ToolSaid(version) +
                     " (install the buildx plugin: docker-buildx-plugin from Docker's apt "
                     "repository, or the binary from github.com/docker/buildx/releases into "
                     "~/.docker/cli-plugins/docker-buildx)");
  PLINTH_TRY(SubprocessResult builder, RunProcess({"docker", "buildx", "inspect", "--bootstrap"}));
  if (!builder.ok())
    return Error(ErrorKind::kFailed,
                 "docker buildx has no usable builder: `docker buildx inspect --bootstrap` says: " +
                     ToolSaid(builder) +
                     " (start the Docker daemon, or make a builder: docker buildx create --use "
                     "--driver docker-container)");
  return Ok{};
}

Result<ResolvedImage> DockerBuildxBackend::BuildStage(const BackendStageRequest& r) {
  std::string from = "scratch";
  std::vector<std::string> argv{"docker", "buildx", "build", "--progress=plain",
                                "--platform", r.platform.str(), "--provenance=false", "--sbom=false"};
  if (!r.base_name.empty()) {
    from = kBaseContext;
    argv.insert(argv.end(), {"--build-context", std::string(kBaseContext) + "=oci-layout://" +
                                                    AbsolutePath(store_.dir()) + "@" +
                                                    r.base.digest.str()});
  }
  PLINTH_TRY(std::string text, BackendStageText(r, from));
  PLINTH_TRY(TempDir work, TempDir::Create("plinth-buildx"));
  PLINTH_CHECK(WriteFileAtomic(work.path() + "/Dockerfile", text));
  std::string tarball = work.path() + "/stage.tar";
  argv.insert(argv.end(), {"-f", work.path() + "/Dockerfile", "--output", "type=oci,dest=" + tarball});
  for (const auto& [k, v] : r.build_args) argv.insert(argv.end(), {"--build-arg", k + "=" + v});
  PLINTH_TRY(std::vector<std::string> secrets, BackendSecretFlags(r, work.path()));
  argv.insert(argv.end(), secrets.begin(), secrets.end());
  argv.push_back(r.context_dir);
  PLINTH_TRY(SubprocessResult built, RunProcess(argv));
  if (!built.ok()) return BackendToolFailed("docker buildx build", r, built);
  auto root = registry::ImportOciArchive(tarball, "", store_);
  if (!root) return root.error().Context("importing stage " + r.graph->stage(r.stage).DisplayName());
  return AdoptStageImage(store_, *root, r);
}

}  // namespace plinth::builder
