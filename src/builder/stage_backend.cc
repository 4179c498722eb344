#include "builder/stage_backend.h"

#include <unistd.h>

#include <cstdlib>
#include <random>

#include "builder/containers_storage_backend.h"
#include "builder/docker_buildx_backend.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::builder {
namespace {

// `--backend none`: every stage that RUNs is an error.
class NoStageBackend : public StageBackend {
 public:
  std::string_view name() const override { return "none"; }
  Status CheckAvailable() override {
    return Error(ErrorKind::kFailed,
                 "no build backend was chosen (--backend none); use --backend native, buildah (apt-get "
                 "install buildah skopeo), podman (apt-get install podman skopeo) or docker-buildx");
  }
  Result<ResolvedImage> BuildStage(const BackendStageRequest&) override { return CheckAvailable().error(); }
};

}  // namespace

Result<std::unique_ptr<StageBackend>> MakeStageBackend(std::string_view name,
                                                       const oci::LayoutStore& store) {
  if (name == "buildah")
    return std::unique_ptr<StageBackend>(new ContainersStorageBackend(store, ContainersTool::kBuildah));
  if (name == "podman")
    return std::unique_ptr<StageBackend>(new ContainersStorageBackend(store, ContainersTool::kPodman));
  if (name == "docker-buildx") return std::unique_ptr<StageBackend>(new DockerBuildxBackend(store));
  if (name == "none") return std::unique_ptr<StageBackend>(new NoStageBackend());
  if (name == "native")
    return Internal("the native backend runs in the stage engine, not as a StageBackend");
  return CheckStageBackendName(name).error();
}

Status CheckStageBackendName(std::string_view name) {
  std::string choices;
  for (auto n : kStageBackendNames) {
    if (n == name) return Ok{};
    choices += (choices.empty() ? "" : ", ") + std::string(n);
  }
  return InvalidInput("--backend '" + std::string(name) + "': use " + choices);
}

Result<std::string> BackendStageText(const BackendStageRequest& r, const std::string& from) {
  const auto& stage = r.graph->stage(r.stage);
  PLINTH_TRY(std::string file, ReadFile(stage.location.file));
  std::vector<std::string> lines;
  size_t i = 0;
  while (i <= file.size()) {
    size_t j = file.find('\n', i);
    if (j == std::string::npos) j = file.size();
    lines.push_back(file.substr(i, j - i));
    i = j + 1;
  }
  std::string text;
  if (r.graph->escape_token() == '`') text += "# escape=`\n";
  for (const auto& arg : r.graph->global_args()) text += arg.original + "\n";
  text += "FROM " + from + "\n";
  for (const auto& ins : stage.instructions) {
    if ((ins.kind == dockerfile::InstructionKind::kCopy || ins.kind == dockerfile::InstructionKind::kAdd) &&
        !ins.copy.from.empty())
      return Error(ErrorKind::kInvalidInput,
                   "COPY --from inside a stage that RUNs is not sent to the backend yet; move the "
                   "COPY --from to a stage of its own", ins.location);
    for (int l = ins.location.line; l <= std::max(ins.location.line, ins.end_line); ++l)
      if (l >= 1 && static_cast<size_t>(l) <= lines.size()) text += lines[l - 1] + "\n";
  }
  return text;
}

Result<ResolvedImage> AdoptStageImage(const oci::LayoutStore& store, const oci::Descriptor& root,
                                      const BackendStageRequest& r) {
  ResolvedImage result;
  result.name = r.graph->stage(r.stage).DisplayName();
  auto selected = store.SelectPlatform(root, r.platform);
  if (!selected) return selected.error().Context("reading the image of stage " + result.name);
  result.manifest = *selected;
  auto image = oci::ReadImage(store, result.manifest);
  if (!image) return image.error().Context("reading the image of stage " + result.name);
  result.image = std::move(*image);
  return result;
}

Error BackendToolFailed(const std::string& what, const BackendStageRequest& r,
                        const SubprocessResult& run) {
  const auto& stage = r.graph->stage(r.stage);
  std::string said = run.err.empty() ? run.out : run.err;
  if (said.size() > 4000) said = "…" + said.substr(said.size() - 4000);
  return Error(ErrorKind::kFailed,
               what + " of stage " + stage.DisplayName() + " failed (exit " +
                   std::to_string(run.exit_code) + "): " + said,
               stage.location);
}

std::string ToolSaid(const SubprocessResult& run) {
  const std::string& text = run.err.find_first_not_of(" \n") != std::string::npos ? run.err : run.out;
  size_t start = text.find_first_not_of(" \n");
  if (start == std::string::npos) return "(nothing)";
  std::string line = text.substr(start, text.find('\n', start) - start);
  if (line.size() > 400) line = line.substr(0, 400) + "…";
  return "\"" + line + "\"";
}

Result<std::vector<std::string>> BackendSecretFlags(const BackendStageRequest& request,
                                                    const std::string& work_dir) {
  std::vector<std::string> flags;
  if (!request.secrets) return flags;
  int n = 0;
  for (const auto& [id, secret] : *request.secrets) {
    std::string src = AbsolutePath(secret.src);
    if (!secret.env.empty()) {
      const char* value = std::getenv(secret.env.c_str());
      if (!value) continue;
      src = AbsolutePath(work_dir) + "/secret-" + std::to_string(n++);
      PLINTH_CHECK(WriteFileAtomic(src, value, 0600));
    }
    flags.insert(flags.end(), {"--secret", "id=" + id + ",src=" + src});
  }
  return flags;
}

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  return getcwd(cwd, sizeof cwd) ? std::string(cwd) + "/" + path : path;
}

std::string RandomImageName() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::string s;
  for (int i = 0; i < 12; ++i) s += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  return s;
}

}  // namespace plinth::builder
