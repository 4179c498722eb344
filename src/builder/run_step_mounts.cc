#include "builder/run_step_mounts.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "builder/stage_engine.h"
#include "plan/context_sources.h"
#include "plan/disk_context_files.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/rooted_path.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace plinth::builder {
namespace {

using dockerfile::MountType;

constexpr uint64_t kMaxSecret = 500 << 10;  // BuildKit's limit on a secret's size

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

// The .dockerignore in force when it leaves anything out; null otherwise.
const dockerfile::DockerIgnore* Ignore(const StageContext& ctx) {
  const auto* ignore = ctx.options->ignore;
  return ignore && !ignore->patterns().empty() ? ignore : nullptr;
}

// The context as a bind mount may see it when a .dockerignore leaves files out: what `rel`
// selects, without the ignored paths, rebuilt under `tree` (folders made, files hard-linked, or
// copied when `copy` or on another filesystem, links as links), as BuildKit's context holds only
// what .dockerignore lets through. Returns the folder to bind.
Result<std::string> FilteredContext(const StageContext& ctx, const std::string& rel,
                                    const std::string& tree, bool copy) {
  plan::DiskContextFiles files;
  std::map<std::string, std::string> inputs;
  PLINTH_CHECK(plan::AddContextSources(files, ctx.options->context_dir, Ignore(ctx), {rel},
                                       &inputs));
  PLINTH_CHECK(MakeDirs(tree + "/" + rel));
  const std::string context = ctx.options->context_dir;
  for (const auto& [key, attrs] : inputs) {
    if (!key.starts_with("context:")) continue;
    const std::string path = key.substr(8);
    const std::string from = context + "/" + path, to = tree + "/" + path;
    if (attrs.starts_with("dir ")) {
      PLINTH_CHECK(MakeDirs(to));
      continue;
    }
    PLINTH_CHECK(MakeDirs(to.substr(0, to.rfind('/'))));
    if (attrs.starts_with("symlink -> ")) {
      if (symlink(attrs.substr(11).c_str(), to.c_str()) != 0 && errno != EEXIST)
        return ErrnoError("linking " + to, errno);
    } else if (attrs.starts_with("file ")) {
      if (!copy && link(from.c_str(), to.c_str()) == 0) continue;
      if (!copy && errno == EEXIST) continue;
      auto copied = RunProcess({"cp", "-p", "--reflink=auto", from, to});
      if (!copied || !copied->ok()) return IoError("copying " + from + " for a bind mount failed");
    }
  }
  return tree + "/" + rel;
}

// The image a bind or cache mount's `from` names: an earlier stage, or an image.
Result<oci::Image> FromImage(const StageContext& ctx, const std::string& from) {
  int stage = ctx.graph->Find(from);
  if (stage >= 0) {
    auto it = ctx.done->find(stage);
    if (it == ctx.done->end())
      return Internal("RUN --mount from=" + from + ": stage not built yet");
    return it->second.image;
  }
  PLINTH_TRY(ResolvedImage r, ctx.images->Resolve(from, ctx.options->platform));
  return r.image;
}

}  // namespace

// An flock held for the step (sharing=locked, private), released when the step ends.
HeldLock::~HeldLock() {
  if (fd_ >= 0) close(fd_);
}

Result<std::optional<HeldLock>> HeldLock::Take(const std::string& path, bool wait) {
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

Result<std::string> MountContent(const StageContext& ctx, const StepMount& m) {
  if (m.type != MountType::kBind && !(m.type == MountType::kCache && !m.from.empty()))
    return std::string();
  if (m.from.empty()) {
    // Every file the bind shows is an input: what is under the bound path, less .dockerignore.
    plan::DiskContextFiles files;
    std::map<std::string, std::string> inputs;
    PLINTH_CHECK(plan::AddContextSources(files, ctx.options->context_dir, Ignore(ctx),
                                         {Rel(m.source)}, &inputs));
    return "sha256:" + Sha256::HexOf(nlohmann::json(inputs).dump());
  }
  PLINTH_TRY(oci::Image image, FromImage(ctx, m.from));
  std::string ids;
  for (const auto& d : image.config.diff_ids) ids += d.str() + "\n";
  return "sha256:" + Sha256::HexOf(ids);
}

Result<PreparedMounts> PrepareMounts(const StageContext& ctx, const std::string& run_cache_dir,
                                     const BuildSecrets* secrets, const std::string& step_root,
                                     const StepProcess& p) {
  PreparedMounts out;
  int n = 0;
  for (const StepMount& m : p.mounts) {
    std::string own = step_root + "/mount-" + std::to_string(n++);
    switch (m.type) {
      case MountType::kTmpfs:
        out.mounts.push_back({.kind = run::RunMount::Kind::kTmpfs,
                              .target = m.target,
                              .readonly = false,
                              .tmpfs_size = m.size});
        break;
      case MountType::kBind: {
        std::string root = ctx.options->context_dir;
        if (!m.from.empty()) {
          PLINTH_TRY(oci::Image image, FromImage(ctx, m.from));
          PLINTH_TRY(root, ctx.rootfs->Materialize(image));
        }
        // Resolved inside the root (links never lead out of it), then joined to it.
        auto rel = ResolveInRoot(root, Rel(m.source), true);
        std::string source = rel ? root + "/" + *rel : "";
        if (!rel || !PathExists(source))
          return NotFound("RUN --mount=type=bind: source " + (m.source.empty() ? "/" : m.source) +
                          " is not in " + (m.from.empty() ? "the build context" : m.from));
        if (m.from.empty() && Ignore(ctx)) {
          // rw: a copy, so that nothing goes back; read-only: hard links do.
          PLINTH_TRY(source, FilteredContext(ctx, *rel, own, m.writable));
        } else if (m.writable) {
          // rw: the step writes into a throwaway copy; nothing goes back.
          auto copied = RunProcess({"cp", "-a", "--reflink=auto", source, own});
          if (!copied || !copied->ok())
            return IoError("RUN --mount=type=bind,rw: copying " + m.source + " failed");
          source = own;
        }
        out.mounts.push_back({.kind = run::RunMount::Kind::kBind,
                              .source = source,
                              .target = m.target,
                              .readonly = !m.writable});
        break;
      }
      case MountType::kCache: {
        std::string base = run_cache_dir;
        PLINTH_CHECK(MakeDirs(base, 0700));
        // By id (and from, when the cache starts as another image's folder: not supported).
        if (!m.from.empty())
          return InvalidInput(
              "RUN --mount=type=cache,from=… is not supported yet by the native "
              "backend; use --backend buildah");
        std::string dir = base + "/" + Sha256::HexOf(m.id);
        if (m.sharing == "locked") {
          PLINTH_TRY(auto lock, HeldLock::Take(dir + ".lock", true));
          out.locks.push_back(std::move(*lock));
        } else if (m.sharing == "private") {
          PLINTH_TRY(auto lock, HeldLock::Take(dir + ".lock", false));
          if (lock)
            out.locks.push_back(std::move(*lock));
          else
            dir = own;  // busy: this step gets a fresh folder of its own
        }
        if (!IsDirectory(dir)) {
          // Made beside its name and renamed, so two builds never see a half-made folder.
          std::string tmp = dir + ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(n);
          PLINTH_CHECK(MakeOwnedDir(tmp, m));
          if (rename(tmp.c_str(), dir.c_str()) != 0) (void)RemoveAll(tmp);
        }
        out.mounts.push_back({.kind = run::RunMount::Kind::kBind,
                              .source = dir,
                              .target = m.target,
                              .readonly = !m.writable});
        break;
      }
      case MountType::kSecret: {
        const BuildSecret* secret = nullptr;
        if (secrets)
          if (auto it = secrets->find(m.id); it != secrets->end()) secret = &it->second;
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
          out.mounts.push_back({.kind = run::RunMount::Kind::kBind,
                                .source = file,
                                .target = m.target,
                                .readonly = true});
        }
        break;
      }
      case MountType::kSsh:
        return InvalidInput("RUN --mount=type=ssh is not supported yet by the native backend");
    }
  }
  return out;
}

}  // namespace plinth::builder
