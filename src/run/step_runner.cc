#include "run/step_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

#include "run/mount_stubs.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

extern char** environ;

namespace plinth::run {
namespace {

constexpr size_t kTailBytes = 4096;
// mount(2) copies at most one page of options; the kernel's page is at least this.
constexpr size_t kMountDataMax = 4095;
constexpr uint64_t kMaxRuncLog = 1 << 20;
constexpr const char* kOverlayFlags = "index=off,metacopy=off,redirect_dir=off,xino=off";

std::atomic<int> step_counter{0};

// What the child was doing when it failed, sent to the parent over the CLOEXEC error pipe.
enum ChildStep : int {
  kPdeathsig,
  kSetsid,
  kUnshare,
  kPrivate,
  kChdir,
  kMountOverlay,
  kFsopen,
  kFsconfigLower,
  kFsconfig,
  kFsmount,
  kMoveMount,
  kRedirect,
  kExec,
};
const char* const kChildStepNames[] = {
    "setting the parent-death signal",
    "starting a session",
    "making a mount namespace",
    "making / private in it",
    "entering the lowers' parent folder",
    "mounting the overlay",
    "opening an overlay filesystem context",
    "adding a lower folder to the overlay",
    "configuring the overlay",
    "creating the overlay mount",
    "moving the overlay into place",
    "redirecting the output",
    "starting runc",
};
struct ChildError {
  int step;
  int err;
};

// How the child mounts the overlay, every string ready before fork.
struct OverlayPlan {
  std::string target;
  std::string options;   // mount(2) data; empty: the new mount API, lowers one by one
  std::string chdir_to;  // the lowers' common parent when `options` names them relative to it
  std::vector<std::string> lowers_top_first;  // for the new mount API
  std::string upper, work;
};

std::string LowerDirOption(const std::vector<std::string>& top_first) {
  std::string joined;
  for (const std::string& lower : top_first) {
    if (!joined.empty()) joined += ':';
    joined += lower;
  }
  return joined;
}

std::string CommonParent(const std::vector<std::string>& paths) {
  std::string common = paths.front();
  for (const std::string& path : paths) {
    size_t n = 0;
    while (n < common.size() && n < path.size() && common[n] == path[n]) ++n;
    common.resize(n);
  }
  // Back to a whole folder name: "/a/bc" and "/a/bd" share "/a".
  bool whole = true;
  for (const std::string& path : paths) {
    if (path.size() > common.size() && path[common.size()] != '/') whole = false;
  }
  if (!whole) {
    size_t slash = common.rfind('/');
    common.resize(slash == std::string::npos ? 0 : slash);
  }
  while (common.size() > 1 && common.back() == '/') common.pop_back();
  return common;
}

Result<OverlayPlan> PlanOverlay(const std::vector<std::string>& lowers, const StepDirs& dirs) {
  OverlayPlan plan;
  plan.target = dirs.rootfs;
  plan.upper = dirs.upper;
  plan.work = dirs.work;
  for (size_t i = lowers.size(); i-- > 0;) plan.lowers_top_first.push_back(lowers[i]);
  for (const std::string& path : plan.lowers_top_first) {
    if (path.empty() || path[0] != '/' || path.find_first_of(":,\\") != std::string::npos) {
      return InvalidInput(
          "an overlay lower folder must be an absolute path without ':', ',' "
          "or '\\': " +
          path);
    }
  }
  for (const std::string* path : {&plan.upper, &plan.work}) {
    if (path->find_first_of(":,\\") != std::string::npos) {
      return InvalidInput("an overlay folder must not hold ':', ',' or '\\': " + *path);
    }
  }
  std::string tail = ",upperdir=" + plan.upper + ",workdir=" + plan.work + "," + kOverlayFlags;
  std::string options = "lowerdir=" + LowerDirOption(plan.lowers_top_first) + tail;
  if (options.size() <= kMountDataMax) {
    plan.options = std::move(options);
    return plan;
  }
  // Too long for one page: name the lowers relative to their common parent, from inside it.
  std::string parent = CommonParent(plan.lowers_top_first);
  if (parent.size() > 1) {
    std::vector<std::string> relative;
    for (const std::string& path : plan.lowers_top_first) {
      relative.push_back(path.size() == parent.size() ? "." : path.substr(parent.size() + 1));
    }
    options = "lowerdir=" + LowerDirOption(relative) + tail;
    if (options.size() <= kMountDataMax) {
      plan.options = std::move(options);
      plan.chdir_to = parent;
      return plan;
    }
  }
  // Still too long: the new mount API takes one lower at a time ("lowerdir+", Linux 6.8).
  return plan;
}

// The child: from fork to exec only system calls, no allocation (other threads may hold the
// allocator's locks). On failure it writes what failed and errno to `error_fd` and exits.
[[noreturn]] void ChildRun(const OverlayPlan& plan, pid_t parent, int out_fd, int null_fd,
                           int error_fd, const char* runc, char* const* argv) {
  auto fail = [&](ChildStep step) {
    ChildError error{step, errno};
    ssize_t ignored = write(error_fd, &error, sizeof(error));
    (void)ignored;
    _exit(127);
  };
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(kPdeathsig);
  if (getppid() != parent) _exit(127);  // the parent is gone already
  if (setsid() < 0) fail(kSetsid);
  if (unshare(CLONE_NEWNS) != 0) fail(kUnshare);
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) fail(kPrivate);
  if (!plan.options.empty()) {
    if (!plan.chdir_to.empty() && chdir(plan.chdir_to.c_str()) != 0) fail(kChdir);
    if (mount("overlay", plan.target.c_str(), "overlay", 0, plan.options.c_str()) != 0) {
      fail(kMountOverlay);
    }
    if (!plan.chdir_to.empty() && chdir("/") != 0) fail(kChdir);
  } else {
    int fs = fsopen("overlay", FSOPEN_CLOEXEC);
    if (fs < 0) fail(kFsopen);
    for (const std::string& lower : plan.lowers_top_first) {
      if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", lower.c_str(), 0) != 0) {
        fail(kFsconfigLower);
      }
    }
    if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", plan.upper.c_str(), 0) != 0 ||
        fsconfig(fs, FSCONFIG_SET_STRING, "workdir", plan.work.c_str(), 0) != 0 ||
        fsconfig(fs, FSCONFIG_SET_STRING, "index", "off", 0) != 0 ||
        fsconfig(fs, FSCONFIG_SET_STRING, "metacopy", "off", 0) != 0 ||
        fsconfig(fs, FSCONFIG_SET_STRING, "redirect_dir", "off", 0) != 0 ||
        fsconfig(fs, FSCONFIG_SET_STRING, "xino", "off", 0) != 0 ||
        fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
      fail(kFsconfig);
    }
    int mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0);
    if (mnt < 0) fail(kFsmount);
    if (move_mount(mnt, "", AT_FDCWD, plan.target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
      fail(kMoveMount);
    }
  }
  // Above 2 first: a pipe end that is 0, 1 or 2 (a caller that closed its stdio) would be
  // overwritten by the dup2s, or keep its CLOEXEC.
  out_fd = fcntl(out_fd, F_DUPFD_CLOEXEC, 3);
  null_fd = fcntl(null_fd, F_DUPFD_CLOEXEC, 3);
  if (out_fd < 0 || null_fd < 0) fail(kRedirect);
  if (dup2(null_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) fail(kRedirect);
  execve(runc, argv, environ);
  fail(kExec);
  _exit(127);  // not reached
}

// The error runc logged (json log, level "error"), or "" when it logged none.
std::string RuncLoggedError(const std::string& log_path) {
  auto log = ReadFileAtMost(log_path, kMaxRuncLog);
  if (!log) return "";
  std::istringstream lines(*log);
  std::string line, last_error;
  while (std::getline(lines, line)) {
    auto entry = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (entry.is_object() && entry.value("level", "") == "error") {
      last_error = entry.value("msg", "");
    }
  }
  return last_error;
}

void KeepTail(std::string& tail, std::string_view chunk) {
  if (chunk.size() >= kTailBytes) {
    tail.assign(chunk.substr(chunk.size() - kTailBytes));
  } else {
    tail.append(chunk);
    if (tail.size() > kTailBytes) tail.erase(0, tail.size() - kTailBytes);
  }
}

// The tail from its first whole line on (when it was cut).
std::string WholeLines(const std::string& tail, bool cut) {
  if (!cut) return tail;
  size_t newline = tail.find('\n');
  if (newline == std::string::npos || newline + 1 == tail.size()) return tail;
  return tail.substr(newline + 1);
}

std::string HostsFile() {
  return "127.0.0.1\tlocalhost buildkitsandbox\n"
         "::1\tlocalhost ip6-localhost ip6-loopback\n";
}

std::string ResolvConf() {
  auto host = ReadFileAtMost("/etc/resolv.conf", 64 * 1024);
  if (host && !host->empty()) return *host;
  return "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
}

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

Status RuncStepRunner::CheckAvailable() {
  const char* workaround = "; --backend buildah runs RUN steps without it";
  if (geteuid() != 0) {
    return Error(
        ErrorKind::kUnavailable,
        std::string("native RUN steps need root (mounting the overlay, runc)") + workaround);
  }
  // ReadFile: /proc files have no size, which ReadFileAtMost would take for empty.
  auto filesystems = ReadFile("/proc/filesystems");
  if (!filesystems || filesystems->find("\toverlay\n") == std::string::npos) {
    return Error(ErrorKind::kUnavailable,
                 std::string("the kernel has no overlay filesystem (not in /proc/filesystems)") +
                     workaround);
  }
  if (!FindProgram("runc")) {
    return Error(ErrorKind::kUnavailable,
                 std::string("runc is not on PATH (Debian: apt-get install runc)") + workaround);
  }
  return Ok{};
}

Result<StepOutcome> RuncStepRunner::Run(const StepRequest& request, const OutputSink& output) {
  const StepDirs& dirs = request.dirs;
  auto runc = FindProgram("runc");
  if (!runc) return Error(ErrorKind::kUnavailable, "runc is not on PATH");
  std::vector<std::string> lowers = request.lowers;
  if (lowers.empty()) {  // FROM scratch: overlay needs a lower, an empty one will do
    std::string empty = dirs.root + "/empty-lower";
    PLINTH_CHECK(MakeDirs(empty, 0755));
    lowers.push_back(empty);
  }

  // The files bound at /etc/resolv.conf and /etc/hosts, and the mount points runc will make.
  RunSpec spec = request.spec;
  spec.rootfs = dirs.rootfs;
  spec.resolv_conf = dirs.root + "/resolv.conf";
  spec.hosts = dirs.root + "/hosts";
  PLINTH_CHECK(WriteFileAtomic(spec.resolv_conf, ResolvConf(), 0644));
  PLINTH_CHECK(WriteFileAtomic(spec.hosts, HostsFile(), 0644));
  // Every mount point of the config: /proc, /dev and /sys too, which a minimal image lacks.
  nlohmann::json config = RuntimeConfig(spec);
  std::vector<std::string> targets;
  for (const auto& mount : config["mounts"]) targets.push_back(mount["destination"]);
  PLINTH_TRY(auto stubs, FindMountStubs(lowers, targets));

  PLINTH_CHECK(MakeDirs(dirs.bundle, 0700));
  PLINTH_CHECK(MakeDirs(dirs.rootfs, 0755));
  PLINTH_CHECK(MakeDirs(state_dir_, 0700));
  PLINTH_CHECK(WriteFileAtomic(dirs.bundle + "/config.json", config.dump(2), 0600));
  PLINTH_TRY(auto plan, PlanOverlay(lowers, dirs));

  std::string id = "plinth-" + std::to_string(getpid()) + "-" + std::to_string(++step_counter);
  std::string log_path = dirs.bundle + "/runc.log";
  std::vector<std::string> args = {*runc,      "--root",       state_dir_, "--log",
                                   log_path,   "--log-format", "json",     "run",
                                   "--bundle", dirs.bundle,    id};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int out_pipe[2] = {-1, -1};
  int error_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return ErrnoError("making the step's output pipe", errno);
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    CloseFd(out_pipe[0]);
    CloseFd(out_pipe[1]);
    return ErrnoError("making the step's error pipe", err);
  }
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = getpid();
  pid_t child = null_fd < 0 ? -1 : fork();
  if (child == 0) {
    ChildRun(plan, parent, out_pipe[1], null_fd, error_pipe[1], runc->c_str(), argv.data());
  }
  int fork_errno = errno;
  CloseFd(out_pipe[1]);
  CloseFd(error_pipe[1]);
  CloseFd(null_fd);
  if (child < 0) {
    CloseFd(out_pipe[0]);
    CloseFd(error_pipe[0]);
    return ErrnoError("starting the step " + id, fork_errno);
  }

  ChildError child_error{};
  ssize_t got;
  do {
    got = read(error_pipe[0], &child_error, sizeof(child_error));
  } while (got < 0 && errno == EINTR);
  CloseFd(error_pipe[0]);

  std::string tail;
  bool cut = false;
  if (got != static_cast<ssize_t>(sizeof(child_error))) {
    std::vector<char> buffer(64 * 1024);
    while (true) {
      ssize_t n = read(out_pipe[0], buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::string_view chunk(buffer.data(), static_cast<size_t>(n));
      if (tail.size() + chunk.size() > kTailBytes) cut = true;
      KeepTail(tail, chunk);
      if (output) output(chunk);
    }
  }
  CloseFd(out_pipe[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("waiting for the step " + id, errno);
  }

  if (got == static_cast<ssize_t>(sizeof(child_error))) {
    const char* what = child_error.step >= 0 && child_error.step <= kExec
                           ? kChildStepNames[child_error.step]
                           : "preparing the step";
    std::string detail = std::string(what);
    if (child_error.step == kMountOverlay || child_error.step == kFsconfig ||
        child_error.step == kFsconfigLower) {
      detail += " at " + dirs.rootfs + " (" + std::to_string(lowers.size()) + " lowers)";
    } else if (child_error.step == kExec) {
      detail += " (" + *runc + ")";
    }
    return ErrnoError("running step " + id + ": " + detail, child_error.err);
  }

  StepOutcome outcome;
  if (WIFEXITED(status)) {
    outcome.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    outcome.exit_code = 128 + WTERMSIG(status);
  }
  outcome.output_tail = WholeLines(tail, cut);
  if (outcome.exit_code != 0) {
    std::string runc_error = RuncLoggedError(log_path);
    if (!runc_error.empty()) {
      return Error(ErrorKind::kIo, "runc could not run step " + id + ": " + runc_error);
    }
  }
  PLINTH_CHECK(RemoveMountStubs(dirs.upper, stubs));
  return outcome;
}

Result<int> RuncStepRunner::RemoveStale() {
  if (!IsDirectory(state_dir_)) return 0;
  auto runc = FindProgram("runc");
  if (!runc) return Error(ErrorKind::kUnavailable, "runc is not on PATH");
  PLINTH_TRY(auto listed, RunProcess({*runc, "--root", state_dir_, "list", "--format", "json"}));
  if (!listed.ok()) {
    return IoError("runc --root " + state_dir_ + " list: " + listed.err);
  }
  auto containers = nlohmann::json::parse(listed.out, nullptr, /*allow_exceptions=*/false);
  if (containers.is_null()) return 0;  // runc prints "null" when there are none
  if (!containers.is_array()) return IoError("runc list printed no JSON list: " + listed.out);
  int removed = 0;
  for (const auto& container : containers) {
    if (!container.is_object() || !container.contains("id") || !container["id"].is_string()) {
      continue;
    }
    std::string id = container["id"];
    // plinth-<pid>-<n>: the container of a plinth process that is gone.
    constexpr std::string_view kPrefix = "plinth-";
    if (id.rfind(kPrefix, 0) != 0) continue;
    size_t dash = id.find('-', kPrefix.size());
    if (dash == std::string::npos) continue;
    std::string pid_text = id.substr(kPrefix.size(), dash - kPrefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    pid_t owner = static_cast<pid_t>(std::stol(pid_text));
    if (owner == getpid() || owner <= 0) continue;
    if (kill(owner, 0) == 0 || errno != ESRCH) continue;  // its plinth still runs
    PLINTH_TRY(auto deleted, RunProcess({*runc, "--root", state_dir_, "delete", "--force", id}));
    if (!deleted.ok()) {
      return IoError("runc --root " + state_dir_ + " delete --force " + id + ": " + deleted.err);
    }
    ++removed;
  }
  return removed;
}

}  // namespace plinth::run
