#include "builder/containers_storage_backend.h"

#include <cstdlib>

#include "registry/image_copier.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::builder {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = std::min(text.find('\n', at), text.size());
    if (end > at) lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

}  // namespace

Result<std::map<std::string, std::string>> ContainersStorageBackend::Environment() {
  std::string root = AbsolutePath(store_.dir()) + "/plinth/containers";
  std::map<std::string, std::string> env;
  const char* conf = std::getenv("CONTAINERS_CONF");
  if (!conf || !*conf) {
    PLINTH_CHECK(MakeDirs(root));
    PLINTH_CHECK(WriteFileAtomic(root + "/containers.conf",
                                 "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", "
                                 "\"nproc=1024:1024\"]\n[engine]\nruntime = \"runc\"\n"));
    env["CONTAINERS_CONF"] = root + "/containers.conf";
  }
  const char* storage = std::getenv("CONTAINERS_STORAGE_CONF");
  if (!storage || !*storage) {
    PLINTH_CHECK(MakeDirs(root + "/storage"));
    PLINTH_CHECK(MakeDirs(root + "/run"));
    PLINTH_CHECK(WriteFileAtomic(root + "/storage.conf",
                                 "[storage]\ndriver = \"vfs\"\ngraphroot = \"" + root +
                                     "/storage\"\nrunroot = \"" + root + "/run\"\n"));
    env["CONTAINERS_STORAGE_CONF"] = root + "/storage.conf";
  }
  return env;
}

Status ContainersStorageBackend::CheckAvailable() {
  std::string tool(name());
  std::string install = "apt-get install " + tool + " skopeo";
  if (!FindProgram(tool))
    return Error(ErrorKind::kFailed, tool + " is not installed (" + install + ")");
  if (!FindProgram("skopeo"))
    return Error(ErrorKind::kFailed,
                 "skopeo, which hands the stage's base to " + tool + ", is not installed (" + install + ")");
  PLINTH_TRY(env_, Environment());
  PLINTH_TRY(SubprocessResult version, RunProcess({tool, "version"}, {.env = env_}));
  if (!version.ok())
    return Error(ErrorKind::kFailed, "`" + tool + " version` fails here (exit " +
                                         std::to_string(version.exit_code) + "): " + ToolSaid(version));
  return Ok{};
}

Result<ResolvedImage> ContainersStorageBackend::BuildStage(const BackendStageRequest& r) {
  const std::string tool(name());
  std::string store_dir = AbsolutePath(store_.dir());
  // The base goes into the tool's storage under a plain name first: buildah derives container
  // names from a FROM's text, and a store path (".plinth/…") is not a valid name. The name is
  // the base's digest and the image stays there: the next stage on that base finds its layers
  // unpacked already (skopeo then copies nothing), as a base pulled into buildah's storage would.
  std::string from = "scratch";
  if (!r.base_name.empty()) {
    std::string base_tag = "localhost/plinth-base:" +
                           (r.base.digest.empty() ? RandomImageName() : r.base.digest.hex());
    PLINTH_TRY(SubprocessResult copied,
               RunProcess({"skopeo", "copy", "--quiet", "oci:" + store_dir + ":" + r.base_name,
                           "containers-storage:" + base_tag},
                          {.env = env_}));
    if (!copied.ok()) return BackendToolFailed("handing the base to " + tool, r, copied);
    from = base_tag;
  }
  PLINTH_TRY(std::string text, BackendStageText(r, from));
  PLINTH_TRY(TempDir work, TempDir::Create("plinth-" + tool));
  PLINTH_CHECK(WriteFileAtomic(work.path() + "/Dockerfile", text));
  std::string tag = "localhost/plinth-stage-" + RandomImageName();
  // `podman build` takes buildah's flags.
  std::vector<std::string> argv{tool, "build", "--quiet", "--layers=false", "--pull=never",
                                "--platform", r.platform.str(), "-f", work.path() + "/Dockerfile",
                                "-t", tag,
                                // The same inputs give the same layers: times are the build's.
                                "--timestamp", std::to_string(r.timestamp)};
  for (const auto& [k, v] : r.build_args) argv.insert(argv.end(), {"--build-arg", k + "=" + v});
  PLINTH_TRY(std::vector<std::string> secrets, BackendSecretFlags(r, work.path()));
  argv.insert(argv.end(), secrets.begin(), secrets.end());
  argv.push_back(r.context_dir);
  PLINTH_TRY(SubprocessResult built, RunProcess(argv, {.env = env_}));
  if (!built.ok()) return BackendToolFailed(tool + " build", r, built);
  std::string layout = work.path() + "/out";
  auto pushed = RunProcess({tool, "push", "--quiet", tag, "oci:" + layout + ":stage"}, {.env = env_});
  (void)RunProcess({tool, "rmi", "-f", tag}, {.env = env_});
  if (!pushed) return pushed.error();
  if (!pushed->ok()) return BackendToolFailed("exporting from " + tool, r, *pushed);
  PLINTH_TRY(oci::LayoutStore out, oci::LayoutStore::OpenExisting(layout));
  PLINTH_TRY(oci::Descriptor root, out.Resolve("stage"));
  // Untagged: the builder holds the store's writer lock, so no gc runs until the target is done.
  auto copied = registry::CopyBetweenLayouts(out, store_, root, "");
  if (!copied) return copied.error().Context("importing stage " + r.graph->stage(r.stage).DisplayName());
  return AdoptStageImage(store_, root, r);
}

Result<int> RemoveContainerLeftovers(const oci::LayoutStore& store, const FileLock&, bool dry_run) {
  std::string root = AbsolutePath(store.dir()) + "/plinth/containers";
  if (!PathExists(root + "/storage.conf") || !FindProgram("buildah")) return 0;
  SubprocessOptions options{.env = {{"CONTAINERS_STORAGE_CONF", root + "/storage.conf"}}};
  if (PathExists(root + "/containers.conf")) options.env["CONTAINERS_CONF"] = root + "/containers.conf";
  auto failed = [](const std::string& what, const SubprocessResult& r) {
    return Error(ErrorKind::kFailed, what + " failed (exit " + std::to_string(r.exit_code) +
                                         "): " + ToolSaid(r));
  };
  PLINTH_TRY(SubprocessResult containers,
             RunProcess({"buildah", "containers", "--all", "--quiet", "--notruncate"}, options));
  if (!containers.ok()) return failed("listing buildah's containers", containers);
  std::vector<std::string> leftovers = Lines(containers.out);
  int found = static_cast<int>(leftovers.size());
  PLINTH_TRY(SubprocessResult images,
             RunProcess({"buildah", "images", "--format", "{{.Name}}:{{.Tag}}"}, options));
  if (!images.ok()) return failed("listing buildah's images", images);
  std::vector<std::string> stage_images;
  for (const std::string& name : Lines(images.out))
    if (name.starts_with("localhost/plinth-stage-")) stage_images.push_back(name);
  found += static_cast<int>(stage_images.size());
  if (dry_run || found == 0) return found;
  if (!leftovers.empty()) {
    std::vector<std::string> argv{"buildah", "rm"};
    argv.insert(argv.end(), leftovers.begin(), leftovers.end());
    PLINTH_TRY(SubprocessResult removed, RunProcess(argv, options));
    if (!removed.ok()) return failed("removing buildah's leftover containers", removed);
  }
  if (!stage_images.empty()) {
    std::vector<std::string> argv{"buildah", "rmi", "--force"};
    argv.insert(argv.end(), stage_images.begin(), stage_images.end());
    PLINTH_TRY(SubprocessResult removed, RunProcess(argv, options));
    if (!removed.ok()) return failed("removing leftover stage images", removed);
  }
  return found;
}

}  // namespace plinth::builder
