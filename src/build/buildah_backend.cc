#include "build/buildah_backend.h"

#include <unistd.h>

#include <cstdlib>
#include <random>

#include "registry/image_copier.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::build {
namespace {

std::string RandomName() {
  std::random_device random;
  std::string s;
  for (int i = 0; i < 12; ++i) s += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  return s;
}

// The stage's lines as written (heredoc bodies included), with its FROM replaced.
Result<std::string> StageText(const BackendStageRequest& r, const std::string& from) {
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

// buildah wants absolute paths in its configuration and in `oci:` references.
std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  return getcwd(cwd, sizeof cwd) ? std::string(cwd) + "/" + path : path;
}

}  // namespace

std::map<std::string, std::string> BuildahBackend::Environment() {
  std::string root = Absolute(store_.dir()) + "/plinth/containers";
  std::map<std::string, std::string> env;
  const char* conf = std::getenv("CONTAINERS_CONF");
  if (!conf || !*conf) {
    (void)MakeDirs(root + "/storage");
    (void)MakeDirs(root + "/run");
    (void)WriteFileAtomic(root + "/containers.conf",
                          "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
                          "[engine]\nruntime = \"runc\"\n");
    env["CONTAINERS_CONF"] = root + "/containers.conf";
  }
  const char* storage = std::getenv("CONTAINERS_STORAGE_CONF");
  if (!storage || !*storage) {
    (void)WriteFileAtomic(root + "/storage.conf",
                          "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + root +
                              "/storage\"\nrunroot = \"" + root + "/run\"\n");
    env["CONTAINERS_STORAGE_CONF"] = root + "/storage.conf";
  }
  return env;
}

Result<ResolvedImage> BuildahBackend::BuildStage(const BackendStageRequest& r) {
  const auto& stage = r.graph->stage(r.stage);
  if (!FindProgram("buildah"))
    return Error(ErrorKind::kFailed, "stage " + stage.DisplayName() +
                                         " RUNs commands and needs buildah, which is not installed "
                                         "(apt-get install buildah)", stage.location);
  std::string store_dir = Absolute(store_.dir());
  auto env = Environment();
  // The base goes into buildah's storage under a plain name first: buildah derives container
  // names from a FROM's text, and a store path (".plinth/…") is not a valid name.
  std::string from = "scratch";
  std::string base_tag = "localhost/plinth-base-" + RandomName() + ":latest";
  if (!r.base_name.empty()) {
    PLINTH_TRY(SubprocessResult copied,
               RunProcess({"skopeo", "copy", "--quiet", "oci:" + store_dir + ":" + r.base_name,
                           "containers-storage:" + base_tag},
                          {.env = env}));
    if (!copied.ok())
      return Error(ErrorKind::kFailed, "handing base " + r.base_name + " to buildah: " + copied.err,
                   stage.location);
    from = base_tag;
  }
  PLINTH_TRY(std::string text, StageText(r, from));
  PLINTH_TRY(TempDir work, TempDir::Create("plinth-buildah"));
  PLINTH_CHECK(WriteFileAtomic(work.path() + "/Dockerfile", text));
  std::string tag = "localhost/plinth-stage-" + RandomName();
  std::vector<std::string> argv{"buildah", "build", "--quiet", "--layers=false", "--pull=never",
                                "--platform", r.platform.str(), "-f", work.path() + "/Dockerfile",
                                "-t", tag};
  for (const auto& [k, v] : r.build_args) argv.insert(argv.end(), {"--build-arg", k + "=" + v});
  argv.push_back(r.context_dir);
  PLINTH_TRY(SubprocessResult built, RunProcess(argv, {.env = env}));
  if (!built.ok())
    return Error(ErrorKind::kFailed, "buildah build of stage " + stage.DisplayName() + " failed (exit " +
                                         std::to_string(built.exit_code) + "): " + built.err.substr(0, 4000),
                 stage.location);
  std::string layout = work.path() + "/out";
  PLINTH_TRY(SubprocessResult pushed,
             RunProcess({"buildah", "push", "--quiet", tag, "oci:" + layout + ":stage"}, {.env = env}));
  (void)RunProcess({"buildah", "rmi", "-f", tag}, {.env = env});
  if (!r.base_name.empty()) (void)RunProcess({"buildah", "rmi", "-f", base_tag}, {.env = env});
  if (!pushed.ok())
    return Error(ErrorKind::kFailed, "exporting stage " + stage.DisplayName() + " from buildah: " + pushed.err,
                 stage.location);
  PLINTH_TRY(oci::LayoutStore out, oci::LayoutStore::OpenExisting(layout));
  PLINTH_TRY(oci::Descriptor root, out.Resolve("stage"));
  std::string name = "plinth.local/stages/" + RandomName() + ":" + r.platform.architecture;
  auto copied = registry::CopyBetweenLayouts(out, store_, root, name);
  if (!copied) return copied.error().Context("importing stage " + stage.DisplayName());
  ResolvedImage result;
  result.name = stage.DisplayName();
  PLINTH_TRY(result.image, oci::ReadImage(store_, name, r.platform, &result.manifest));
  (void)store_.Untag(name);
  return result;
}

}  // namespace plinth::build
