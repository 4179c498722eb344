#include "builder/run_step_native.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "builder/stage_backend.h"
#include "builder/stage_engine.h"
#include "plan/context_sources.h"
#include "plan/disk_context_files.h"
#include "run/lower_lookup.h"
#include "run/upper_layer.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/rooted_path.h"
#include "util/safe_path.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace plinth::builder {
namespace {

using dockerfile::Instruction;
using dockerfile::MountType;

constexpr uint64_t kMaxSecret = 500 << 10;  // BuildKit's limit on a secret's size
constexpr uint64_t kMaxResolvConf = 64 << 10;

// Host paths as runc and the overlay take them: absolute and clean (the store may be relative).
std::string Abs(const std::string& path) { return CleanPath(AbsolutePath(path)); }

// An flock held for the step (sharing=locked, private), released when the step ends.
class HeldLock {
 public:
  explicit HeldLock(int fd) : fd_(fd) {}
  HeldLock(HeldLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  HeldLock& operator=(HeldLock&&) = delete;
  ~HeldLock() {
    if (fd_ >= 0) close(fd_);
  }
  // Blocks unless `wait` is false; then nullopt when another holds it.
  static Result<std::optional<HeldLock>> Take(const std::string& path, bool wait) {
    int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ErrnoError("opening " + path, errno);
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      if (err == EWOULDBLOCK && !wait) return std::optional<HeldLock>();
      return ErrnoError("locking " + path, err);
    }
    return std::optional<HeldLock>(HeldLock(fd));
  }

 private:
  int fd_;
};

// What the step's mounts hold on to while it runs.
struct PreparedMounts {
  std::vector<run::RunMount> mounts;
  std::vector<std::string> env;  // secrets given as variables
  std::vector<HeldLock> locks;
};

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

// A folder made with an owner and mode, as a cache mount's is on first use.
Status MakeOwnedDir(const std::string& dir, const StepMount& m) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("creating " + dir, errno);
  if (chown(dir.c_str(), m.uid.value_or(0), m.gid.value_or(0)) != 0)
    return ErrnoError("chown " + dir, errno);
  if (chmod(dir.c_str(), m.mode.value_or(0755)) != 0) return ErrnoError("chmod " + dir, errno);
  return Ok{};
}

std::string Rel(const std::string& source) {
  return source.empty() || source == "/" ? "." : source.substr(1);
}

// The image a bind or cache mount's `from` names: an earlier stage, or an image.
Result<oci::Image> FromImage(const StageContext& ctx, const std::string& from) {
  int stage = ctx.graph->Find(from);
  if (stage >= 0) {
    auto it = ctx.done->find(stage);
    if (it == ctx.done->end()) return Internal("RUN --mount from=" + from + ": stage not built yet");
    return it->second.image;
  }
  PLINTH_TRY(ResolvedImage r, ctx.images->Resolve(from, ctx.options->platform));
  return r.image;
}

// What a mount contributes to the step's key beyond its options: the content it binds.
Result<std::string> MountContent(const StageContext& ctx, const StepMount& m) {
  if (m.type != MountType::kBind && !(m.type == MountType::kCache && !m.from.empty())) return std::string();
  if (m.from.empty()) {
    // Every file under the bound path is an input (.dockerignore is not applied to binds).
    plan::DiskContextFiles files;
    std::map<std::string, std::string> inputs;
    PLINTH_CHECK(plan::AddContextSources(files, ctx.options->context_dir, nullptr,
                                         {Rel(m.source)}, &inputs));
    return "sha256:" + Sha256::HexOf(nlohmann::json(inputs).dump());
  }
  PLINTH_TRY(oci::Image image, FromImage(ctx, m.from));
  std::string ids;
  for (const auto& d : image.config.diff_ids) ids += d.str() + "\n";
  return "sha256:" + Sha256::HexOf(ids);
}

Result<PreparedMounts> PrepareMounts(const StageContext& ctx, const NativeRun& native,
                                     const run::StepDirs& dirs, const StepProcess& p) {
  PreparedMounts out;
  int n = 0;
  for (const StepMount& m : p.mounts) {
    std::string own = dirs.root + "/mount-" + std::to_string(n++);
    switch (m.type) {
      case MountType::kTmpfs:
        out.mounts.push_back({.kind = run::RunMount::Kind::kTmpfs, .target = m.target,
                              .readonly = false, .tmpfs_size = m.size});
        break;
      case MountType::kBind: {
        std::string root = ctx.options->context_dir;
        if (!m.from.empty()) {
          PLINTH_TRY(oci::Image image, FromImage(ctx, m.from));
          PLINTH_TRY(root, ctx.rootfs->Materialize(image));
        }
        auto host = ResolveInRoot(root, Rel(m.source), true);
        if (!host || !PathExists(*host))
          return NotFound("RUN --mount=type=bind: source " + (m.source.empty() ? "/" : m.source) +
                          " is not in " + (m.from.empty() ? "the build context" : m.from));
        std::string source = *host;
        if (m.writable) {
          // rw: the step writes into a throwaway copy; nothing goes back.
          auto copied = RunProcess({"cp", "-a", "--reflink=auto", source, own});
          if (!copied || !copied->ok())
            return IoError("RUN --mount=type=bind,rw: copying " + m.source + " failed");
          source = own;
        }
        out.mounts.push_back({.kind = run::RunMount::Kind::kBind, .source = source,
                              .target = m.target, .readonly = !m.writable});
        break;
      }
      case MountType::kCache: {
        std::string base = native.run_cache_dir;
        PLINTH_CHECK(MakeDirs(base, 0700));
        // By id (and from, when the cache starts as another image's folder: not supported).
        if (!m.from.empty())
          return InvalidInput("RUN --mount=type=cache,from=… is not supported yet by the native "
                              "backend; use --backend buildah");
        std::string dir = base + "/" + Sha256::HexOf(m.id);
        if (m.sharing == "locked") {
          PLINTH_TRY(auto lock, HeldLock::Take(dir + ".lock", true));
          out.locks.push_back(std::move(*lock));
        } else if (m.sharing == "private") {
          PLINTH_TRY(auto lock, HeldLock::Take(dir + ".lock", false));
          if (lock) out.locks.push_back(std::move(*lock));
          else dir = own;  // busy: this step gets a fresh folder of its own
        }
        if (!IsDirectory(dir)) {
          // Made beside its name and renamed, so two builds never see a half-made folder.
          std::string tmp = dir + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(n);
          PLINTH_CHECK(MakeOwnedDir(tmp, m));
          if (rename(tmp.c_str(), dir.c_str()) != 0) (void)RemoveAll(tmp);
        }
        out.mounts.push_back({.kind = run::RunMount::Kind::kBind, .source = dir,
                              .target = m.target, .readonly = !m.writable});
        break;
      }
      case MountType::kSecret: {
        const BuildSecret* secret = nullptr;
        if (native.secrets)
          if (auto it = native.secrets->find(m.id); it != native.secrets->end()) secret = &it->second;
        if (!secret) {
          if (m.required)
            return NotFound("RUN --mount=type=secret: secret '" + m.id +
                            "' is required; give it with plinth build --secret id=" + m.id +
                            ",src=PATH");
          break;  // BuildKit: an optional secret that is not given is not mounted
        }
        std::string value;
        if (!secret->src.empty()) {
          PLINTH_TRY(value, ReadFileAtMost(secret->src, kMaxSecret));
        } else {
          const char* v = std::getenv(secret->env.c_str());
          if (!v) {
            if (m.required)
              return NotFound("RUN --mount=type=secret: secret '" + m.id + "': variable " +
                              secret->env + " is not set");
            break;
          }
          value = v;
        }
        if (!m.env.empty()) out.env.push_back(m.env + "=" + value);
        if (!m.target.empty()) {
          PLINTH_CHECK(MakeDirs(own, 0700));
          std::string file = own + "/secret";
          PLINTH_CHECK(WriteFileAtomic(file, value, 0600));
          if (chown(file.c_str(), m.uid.value_or(0), m.gid.value_or(0)) != 0 ||
              chmod(file.c_str(), m.mode.value_or(0400)) != 0)
            return ErrnoError("preparing secret " + m.id, errno);
          out.mounts.push_back({.kind = run::RunMount::Kind::kBind, .source = file,
                                .target = m.target, .readonly = true});
        }
        break;
      }
      case MountType::kSsh:
        return InvalidInput("RUN --mount=type=ssh is not supported yet by the native backend");
    }
  }
  return out;
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
  for (std::string* p : {&run_dirs.root, &run_dirs.upper, &run_dirs.work, &run_dirs.rootfs,
                         &run_dirs.bundle})
    *p = Abs(*p);
  auto fail = [&](Error e) -> Error {
    (void)native.snapshots->Release(dirs);
    return e;
  };
  auto mounts = PrepareMounts(ctx, native, dirs, process);
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
      if (f.name.empty() || f.name.find('/') != std::string::npos || f.name == "." || f.name == "..")
        return fail(InvalidInput("RUN heredoc name '" + f.name + "' is not a file name", ins.location));
      if (auto w = WriteFileAtomic(pipes + "/" + f.name, f.content, 0755); !w) return fail(w.error());
    }
    spec.mounts.push_back({.kind = run::RunMount::Kind::kBind, .source = Abs(pipes),
                           .target = "/dev/pipes", .readonly = true});
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
  auto outcome = native.runner->Run(request, [&](std::string_view chunk) {
    opts.progress.Output(chunk);
  });
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
  PLINTH_CHECK(native.snapshots->Adopt(dirs, layer->diff_id, opts.timestamp));
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
  auto at = [&](const Error& e) { return Error(e.kind(), Shown(ins) + ": " + e.message(), ins.location); };
  auto lowers = native->snapshots->Lowers(image);
  if (!lowers) return at(lowers.error());
  for (auto& l : *lowers) l = Abs(l);
  RunStepInput input{.ins = &ins, .config = &image.config.config, .args = args, .vars = &vars,
                     .escape_token = ctx.graph->escape_token()};
  auto passwd = ReadImageFile(*lowers, "/etc/passwd");
  auto group = ReadImageFile(*lowers, "/etc/group");
  if (!passwd) return at(passwd.error());
  if (!group) return at(group.error());
  input.passwd = *passwd;
  input.group = *group;
  auto process = ResolveRunProcess(input);
  if (!process) return at(process.error());
  StepKeyInput key_input{.platform = opts.platform, .config = &image.config.config,
                         .process = &*process, .args = args};
  for (const auto& d : image.config.diff_ids) key_input.diff_ids.push_back(d.str());
  for (const auto& m : process->mounts) {
    auto content = MountContent(ctx, m);
    if (!content) return at(content.error());
    key_input.mount_contents.push_back(*content);
  }
  std::string key = StepCacheKey(key_input);
  if (native->cache) {
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
