#include "builder/run_step_native.h"

#include <sys/stat.h>

#include "builder/run_step_mounts.h"
#include "builder/stage_backend.h"
#include "builder/stage_engine.h"
#include "run/lower_lookup.h"
#include "run/upper_layer.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/safe_path.h"

namespace plinth::builder {
namespace {

using dockerfile::Instruction;

constexpr uint64_t kMaxResolvConf = 64 << 10;

// Host paths as runc and the overlay take them: absolute and clean (the store may be relative).
std::string Abs(const std::string& path) { return CleanPath(AbsolutePath(path)); }

// A file of the image as the merged view of `lowers` shows it (regular files only).
Result<std::optional<std::string>> ReadImageFile(const std::vector<std::string>& lowers,
                                                 const std::string& path) {
  PLINTH_TRY(auto found, run::FindInLowers(lowers, path, true));
  if (!found) return std::optional<std::string>();
  struct stat st;
  if (lstat(found->c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::optional<std::string>();
  PLINTH_TRY(std::string content, ReadFileAtMost(*found, kMaxAccountFile));
  return std::optional<std::string>(std::move(content));
}

// The command as the error and the progress show it: its first line, at most 80 characters.
std::string Shown(const Instruction& ins) {
  std::string s = ins.original;
  if (size_t nl = s.find('\n'); nl != std::string::npos) s = s.substr(0, nl) + " …";
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

Result<oci::Image> RunIt(const StageContext& ctx, const NativeRun& native, oci::Image image,
                         const StepProcess& process, const std::vector<std::string>& lowers,
                         const Instruction& ins, const std::string& key) {
  const StageEngineOptions& opts = *ctx.options;
  PLINTH_TRY(run::StepDirs dirs, native.snapshots->NewStep());
  // The runner gets absolute paths; the snapshot store keeps its own for Release and Adopt.
  run::StepDirs run_dirs = dirs;
  for (std::string* p :
       {&run_dirs.root, &run_dirs.upper, &run_dirs.work, &run_dirs.rootfs, &run_dirs.bundle})
    *p = Abs(*p);
  auto fail = [&](Error e) -> Error {
    (void)native.snapshots->Release(dirs);
    return e;
  };
  auto mounts = PrepareMounts(ctx, native.run_cache_dir, native.secrets, dirs.root, process);
  if (!mounts) return fail(mounts.error());
  run::StepRequest request{lowers, run_dirs, {}};
  run::RunSpec& spec = request.spec;
  spec.argv = process.argv;
  spec.env = process.env;
  spec.env.insert(spec.env.end(), mounts->env.begin(), mounts->env.end());
  spec.cwd = process.cwd;
  spec.uid = process.user.uid;
  spec.gid = process.user.gid;
  spec.additional_gids = process.user.additional_gids;
  spec.network = process.network;
  spec.rootfs = run_dirs.rootfs;
  if (!process.pipes.empty()) {
    std::string pipes = dirs.root + "/pipes";
    if (auto made = MakeDirs(pipes, 0755); !made) return fail(made.error());
    for (const auto& f : process.pipes) {
      if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == "." ||
          f.name == "..")
        return fail(
            InvalidInput("RUN heredoc name '" + f.name + "' is not a file name", ins.location));
      if (auto w = WriteFileAtomic(pipes + "/" + f.name, f.content, 0755); !w)
        return fail(w.error());
    }
    spec.mounts.push_back({.kind = run::RunMount::Kind::kBind,
                           .source = Abs(pipes),
                           .target = "/dev/pipes",
                           .readonly = true});
  }
  for (auto& m : mounts->mounts) {
    if (m.kind == run::RunMount::Kind::kBind) m.source = Abs(m.source);
    spec.mounts.push_back(m);
  }
  std::string resolv = ReadFileAtMost("/etc/resolv.conf", kMaxResolvConf).value_or("");
  spec.resolv_conf = run_dirs.root + "/resolv.conf";
  spec.hosts = run_dirs.root + "/hosts";
  if (auto w = WriteFileAtomic(spec.resolv_conf, resolv, 0644); !w) return fail(w.error());
  if (auto w = WriteFileAtomic(spec.hosts,
                               "127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost "
                               "ip6-localhost ip6-loopback\n",
                               0644);
      !w)
    return fail(w.error());
  auto outcome =
      native.runner->Run(request, [&](std::string_view chunk) { opts.progress.Output(chunk); });
  if (!outcome) return fail(outcome.error().Context(Shown(ins)));
  if (outcome->exit_code != 0) {
    std::string tail = outcome->output_tail;
    return fail(Error(ErrorKind::kFailed,
                      Shown(ins) + " exited with code " + std::to_string(outcome->exit_code) +
                          (tail.empty() ? "" : ":\n" + tail),
                      ins.location));
  }
  mounts->locks.clear();
  auto layer = run::WriteUpperLayer(*ctx.store, dirs.upper, opts.compression, opts.timestamp,
                                    [&](int64_t bytes) { opts.progress.Bytes(bytes); });
  if (!layer) return fail(layer.error().Context(Shown(ins) + ": writing its layer"));
  // The layer is in the store: a snapshot that cannot be adopted is unpacked from it when a
  // later step needs it, so this is not the step's failure (Adopt releases the folders).
  (void)native.snapshots->Adopt(dirs, layer->diff_id, opts.timestamp);
  if (native.cache) (void)native.cache->Record(key, {layer->descriptor, layer->diff_id});
  return oci::AppendLayer(std::move(image), layer->descriptor, layer->diff_id,
                          {.created = oci::FormatTimestamp(opts.timestamp),
                           .created_by = process.created_by,
                           .comment = "buildkit.dockerfile.v0"});
}

}  // namespace

Result<oci::Image> ApplyRun(const StageContext& ctx, oci::Image image, const StageVars& vars,
                            const std::vector<ArgInScope>& args, const Instruction& ins) {
  const StageEngineOptions& opts = *ctx.options;
  const NativeRun* native = opts.native_run;
  if (!native || !native->runner || !native->snapshots)
    return Error(ErrorKind::kInvalidInput,
                 "RUN needs a backend (buildah); the native engine builds stages without RUN",
                 ins.location);
  if (native->ready) {
    if (auto ready = native->ready(); !ready)
      return Error(ready.error().kind(),
                   Shown(ins) + ": RUN cannot run natively here: " + ready.error().message(),
                   ins.location);
  }
  auto at = [&](const Error& e) {
    return Error(e.kind(), Shown(ins) + ": " + e.message(), ins.location);
  };
  auto lowers = native->snapshots->Lowers(image);
  if (!lowers) return at(lowers.error());
  for (auto& l : *lowers) l = Abs(l);
  RunStepInput input{.ins = &ins,
                     .config = &image.config.config,
                     .args = args,
                     .vars = &vars,
                     .escape_token = ctx.graph->escape_token()};
  auto passwd = ReadImageFile(*lowers, "/etc/passwd");
  auto group = ReadImageFile(*lowers, "/etc/group");
  if (!passwd) return at(passwd.error());
  if (!group) return at(group.error());
  input.passwd = *passwd;
  input.group = *group;
  auto process = ResolveRunProcess(input);
  if (!process) return at(process.error());
  StepKeyInput key_input{.platform = opts.platform,
                         .timestamp = opts.timestamp,
                         .compression = opts.compression,
                         .config = &image.config.config,
                         .process = &*process,
                         .args = args};
  for (const auto& d : image.config.diff_ids) key_input.diff_ids.push_back(d.str());
  for (const auto& m : process->mounts) {
    auto content = MountContent(ctx, m);
    if (!content) return at(content.error());
    key_input.mount_contents.push_back(*content);
  }
  std::string key = StepCacheKey(key_input);
  if (native->cache && native->reuse) {
    if (auto hit = native->cache->Lookup(key)) {
      opts.progress.Step("CACHED " + Shown(ins));
      return oci::AppendLayer(std::move(image), hit->layer, hit->diff_id,
                              {.created = oci::FormatTimestamp(opts.timestamp),
                               .created_by = process->created_by,
                               .comment = "buildkit.dockerfile.v0"});
    }
  }
  return RunIt(ctx, *native, std::move(image), *process, *lowers, ins, key);
}

}  // namespace plinth::builder
