#include "run/step_runner.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/test_env.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::run {
namespace {

using testing::ScratchDir;
using testing::WriteTestFile;

std::string SortedNames(const std::string& folder) {
  std::vector<std::string> names;
  DIR* dir = opendir(folder.c_str());
  if (!dir) return "";
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& name : names) out += name + "\n";
  return out;
}

// Real runc on a real overlay: the only lower is Debian's static busybox with its applets as
// symlinks, a /work folder and a file to remove.
class StepRunnerTest : public ::testing::Test {
 public:
  void SetUp() override {
    MakeBusyboxLower(dir_ / "lower");
    WriteTestFile(dir_ / "lower/etc/removable", "from the lower\n");
    ASSERT_TRUE(MakeDirs(dir_ / "lower/work").ok());
    lowers_ = {dir_ / "lower"};
  }

  static void MakeBusyboxLower(const std::string& lower) {
    ASSERT_TRUE(MakeDirs(lower + "/bin").ok());
    auto busybox = ReadFile("/bin/busybox");
    ASSERT_TRUE(busybox.ok()) << "busybox-static is not installed (scripts/test.sh installs it)";
    WriteTestFile(lower + "/bin/busybox", *busybox, 0755);
    for (const char* applet : {"sh", "ls", "id", "cat", "echo", "sleep", "rm", "touch", "pwd",
                               "seq", "grep", "hostname", "mkdir"}) {
      ASSERT_EQ(symlink("busybox", (lower + "/bin/" + applet).c_str()), 0) << applet;
    }
  }

  StepDirs NewDirs() {
    std::string root = dir_ / ("step-" + std::to_string(++steps_));
    StepDirs dirs{root, root + "/upper", root + "/work", root + "/rootfs", root + "/bundle"};
    for (const std::string& path : {dirs.upper, dirs.work, dirs.rootfs, dirs.bundle}) {
      EXPECT_TRUE(MakeDirs(path, 0700).ok());
    }
    return dirs;
  }

  RunSpec Shell(const std::string& script) {
    RunSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {"PATH=/bin"};
    return spec;
  }

  struct Ran {
    StepOutcome outcome;
    std::string output;
    StepDirs dirs;
  };

  Ran Run(RunSpec spec, std::vector<std::string> lowers = {}) {
    Ran ran;
    ran.dirs = NewDirs();
    StepRequest request{lowers.empty() ? lowers_ : lowers, ran.dirs, std::move(spec)};
    request.spec.rootfs = ran.dirs.rootfs;
    auto outcome = runner_.Run(request, [&](std::string_view chunk) {
      ran.output.append(chunk);
      if (mountinfo_during_.empty()) mountinfo_during_ = *ReadFile("/proc/self/mountinfo");
    });
    EXPECT_TRUE(outcome.ok()) << outcome.error().ToString();
    if (outcome.ok()) ran.outcome = *outcome;
    return ran;
  }

  static std::optional<struct stat> Lstat(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return std::nullopt;
    return st;
  }

  ScratchDir dir_;
  std::vector<std::string> lowers_;
  RuncStepRunner runner_{dir_ / "runc-state"};
  std::atomic<int> steps_{0};
  std::string mountinfo_during_;
};

TEST_F(StepRunnerTest, RuncIsAvailableHere) {
  Status available = runner_.CheckAvailable();
  EXPECT_TRUE(available.ok()) << available.error().ToString();
}

TEST_F(StepRunnerTest, WithoutRuncOnPathTheErrorSaysSoAndNamesTheWayRound) {
  std::string path = getenv("PATH") ? getenv("PATH") : "";
  ASSERT_TRUE(MakeDirs(dir_ / "empty-bin").ok());
  setenv("PATH", (dir_ / "empty-bin").c_str(), 1);
  Status available = runner_.CheckAvailable();
  setenv("PATH", path.c_str(), 1);
  ASSERT_FALSE(available.ok());
  EXPECT_EQ(available.error().kind(), ErrorKind::kUnavailable);
  EXPECT_NE(available.error().message().find("runc"), std::string::npos);
  EXPECT_NE(available.error().message().find("--backend buildah"), std::string::npos);
}

TEST_F(StepRunnerTest, NothingIsStaleBeforeTheFirstStep) {
  auto removed = runner_.RemoveStale();
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(*removed, 0);
}

TEST_F(StepRunnerTest, ExitCodesComeBack) {
  EXPECT_EQ(Run(Shell("exit 0")).outcome.exit_code, 0);
  EXPECT_EQ(Run(Shell("exit 3")).outcome.exit_code, 3);
  EXPECT_EQ(Run(Shell("exit 255")).outcome.exit_code, 255);
}

TEST_F(StepRunnerTest, OutputIsStreamedAndTheTailKept) {
  Ran ran = Run(Shell("seq 1 5000"));
  EXPECT_EQ(ran.outcome.exit_code, 0);
  EXPECT_EQ(ran.output.rfind("1\n2\n3\n", 0), 0u);
  EXPECT_NE(ran.output.find("\n4999\n5000\n"), std::string::npos);
  const std::string& tail = ran.outcome.output_tail;
  EXPECT_LE(tail.size(), 4096u);
  EXPECT_GT(tail.size(), 3000u);
  EXPECT_EQ(tail.substr(tail.size() - 10), "4999\n5000\n");
  // Whole lines: the tail is the end of the output, cut just after a newline.
  ASSERT_GE(ran.output.size(), tail.size() + 1);
  EXPECT_EQ(ran.output.substr(ran.output.size() - tail.size()), tail);
  EXPECT_EQ(ran.output[ran.output.size() - tail.size() - 1], '\n');
  // stderr reaches the same sink (its order against stdout is runc's copying, not asserted).
  EXPECT_EQ(Run(Shell("echo to-stderr >&2")).output, "to-stderr\n");
}

TEST_F(StepRunnerTest, WritesLandInTheUpperAndRemovalsAreWhiteouts) {
  Ran ran = Run(Shell("echo made > /made && rm /etc/removable"));
  ASSERT_EQ(ran.outcome.exit_code, 0) << ran.output;
  EXPECT_EQ(*ReadFile(ran.dirs.upper + "/made"), "made\n");
  EXPECT_EQ(SortedNames(ran.dirs.upper), "etc\nmade\n");  // and nothing else: no mount points
  EXPECT_EQ(SortedNames(ran.dirs.upper + "/etc"), "removable\n");
  auto whiteout = Lstat(ran.dirs.upper + "/etc/removable");
  ASSERT_TRUE(whiteout);
  EXPECT_TRUE(S_ISCHR(whiteout->st_mode));
  EXPECT_EQ(whiteout->st_rdev, makedev(0, 0));
  // The lower is untouched.
  EXPECT_EQ(*ReadFile(dir_ / "lower/etc/removable"), "from the lower\n");
}

TEST_F(StepRunnerTest, UserWorkdirAndEnvAreApplied) {
  RunSpec spec = Shell("id -u; id -g; id -G; pwd; echo \"$FOO\"; hostname");
  spec.uid = 65532;
  spec.gid = 65533;
  spec.additional_gids = {27};
  spec.cwd = "/work";
  spec.env.push_back("FOO=bar baz");
  Ran ran = Run(spec);
  EXPECT_EQ(ran.outcome.exit_code, 0);
  EXPECT_EQ(ran.output, "65532\n65533\n65533 27\n/work\nbar baz\nbuildkitsandbox\n");
}

TEST_F(StepRunnerTest, NetworkNoneHasOnlyLoopbackAndHostHasTheHosts) {
  RunSpec none = Shell("ls /sys/class/net");
  none.network = RunNetwork::kNone;
  EXPECT_EQ(Run(none).output, "lo\n");
  std::string host_interfaces = SortedNames("/sys/class/net");
  ASSERT_NE(host_interfaces, "lo\n");  // else the test tells nothing apart
  EXPECT_EQ(Run(Shell("ls -1 /sys/class/net")).output, host_interfaces);
}

TEST_F(StepRunnerTest, AReadOnlyBindIsReadableNotWritableAndLeavesNoStub) {
  WriteTestFile(dir_ / "context/file", "from the context\n");
  RunSpec spec = Shell(
      "cat /src/ctx/file; touch /src/ctx/new 2>/dev/null && echo writable || "
      "echo read-only");
  spec.mounts.push_back({RunMount::Kind::kBind, dir_ / "context", "/src/ctx", true, {}});
  Ran ran = Run(spec);
  EXPECT_EQ(ran.output, "from the context\nread-only\n");
  EXPECT_FALSE(PathExists(dir_ / "context/new"));
  EXPECT_FALSE(Lstat(ran.dirs.upper + "/src"));
}

TEST_F(StepRunnerTest, AWritableBindIsWritten) {
  ASSERT_TRUE(MakeDirs(dir_ / "cache").ok());
  RunSpec spec = Shell("echo cached > /cache/entry");
  spec.mounts.push_back({RunMount::Kind::kBind, dir_ / "cache", "/cache", false, {}});
  Ran ran = Run(spec);
  EXPECT_EQ(ran.outcome.exit_code, 0) << ran.output;
  EXPECT_EQ(*ReadFile(dir_ / "cache/entry"), "cached\n");
  EXPECT_FALSE(Lstat(ran.dirs.upper + "/cache"));
}

TEST_F(StepRunnerTest, ATmpfsMountIsATmpfsAndLeavesNothing) {
  RunSpec spec = Shell("echo x > /scratch/f && grep ' /scratch ' /proc/mounts");
  spec.mounts.push_back({RunMount::Kind::kTmpfs, "", "/scratch", false, 1 << 20});
  Ran ran = Run(spec);
  EXPECT_EQ(ran.outcome.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.output.rfind("tmpfs /scratch tmpfs ", 0), 0u) << ran.output;
  EXPECT_FALSE(Lstat(ran.dirs.upper + "/scratch"));
}

TEST_F(StepRunnerTest, ResolvConfAndHostsAreThereAndTheirStubsRemoved) {
  Ran ran = Run(Shell("cat /etc/hosts; test -s /etc/resolv.conf && echo resolv"));
  EXPECT_NE(ran.output.find("127.0.0.1\tlocalhost buildkitsandbox\n"), std::string::npos)
      << ran.output;
  EXPECT_NE(ran.output.find("resolv\n"), std::string::npos);
  // The lower has /etc but neither file: the mount points runc made are gone from the upper.
  EXPECT_FALSE(Lstat(ran.dirs.upper + "/etc/hosts"));
  EXPECT_FALSE(Lstat(ran.dirs.upper + "/etc/resolv.conf"));
  // /etc itself was copied up only to hold them: the step's layer has nothing of it.
  EXPECT_EQ(SortedNames(ran.dirs.upper), "");
}

TEST_F(StepRunnerTest, TheOverlayIsNeverMountedInOurNamespace) {
  Ran ran = Run(Shell("echo running"));
  ASSERT_EQ(ran.output, "running\n");
  ASSERT_FALSE(mountinfo_during_.empty());
  EXPECT_EQ(mountinfo_during_.find(ran.dirs.rootfs), std::string::npos);
  EXPECT_EQ(ReadFile("/proc/self/mountinfo")->find(ran.dirs.rootfs), std::string::npos);
  EXPECT_EQ(SortedNames(ran.dirs.rootfs), "");
}

// 60 lowers named "<dir>/<40 chars>/fs" or "<dir>/<64 chars>/fs" (a diff_id's hex, as the
// snapshot store names them): their full paths pass mount(2)'s page, relative to their common
// parent the 40-char names fit (the fchdir way), the 64-char ones do not (the new mount API's
// "lowerdir+", one lower at a time).
void ManyLowers(const std::string& parent, size_t name_length, std::vector<std::string>& lowers) {
  // The busybox lower at the bottom, beside the others: one common parent for them all.
  std::string bottom = parent + "/" + std::string(name_length, 'b') + "/fs";
  StepRunnerTest::MakeBusyboxLower(bottom);
  lowers.push_back(bottom);
  for (int i = 0; i < 59; ++i) {
    std::string name = std::to_string(i);
    name = std::string(name_length - name.size(), 'a') + name;
    std::string lower = parent + "/" + name + "/fs";
    WriteTestFile(lower + "/layers/" + std::to_string(i), "");
    WriteTestFile(lower + "/etc/top", std::to_string(i) + "\n");
    lowers.push_back(lower);
  }
}

TEST_F(StepRunnerTest, SixtyLowersWithRelativeNames) {
  std::vector<std::string> lowers;
  ManyLowers(dir_ / "snapshots-with-a-rather-long-folder-name", 40, lowers);
  Ran ran = Run(Shell("cat /etc/top; ls /layers | grep -c ."), lowers);
  EXPECT_EQ(ran.outcome.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.output, "58\n59\n");
}

TEST_F(StepRunnerTest, SixtyLowersWithLongNames) {
  std::vector<std::string> lowers;
  ManyLowers(dir_ / "snapshots", 64, lowers);
  Ran ran = Run(Shell("cat /etc/top; ls /layers | grep -c ."), lowers);
  EXPECT_EQ(ran.outcome.exit_code, 0) << ran.output;
  EXPECT_EQ(ran.output, "58\n59\n");
}

TEST_F(StepRunnerTest, AFailedMountIsAnErrorSayingSo) {
  StepDirs dirs = NewDirs();
  StepRequest request{{dir_ / "no-such-lower"}, dirs, Shell("true")};
  auto outcome = runner_.Run(request, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message().find("mounting the overlay"), std::string::npos)
      << outcome.error().ToString();
}

TEST_F(StepRunnerTest, ARuncFailureIsAnErrorNotAnExitCode) {
  RunSpec spec = Shell("true");
  spec.argv = {"/bin/no-such-program"};
  StepDirs dirs = NewDirs();
  auto outcome = runner_.Run({lowers_, dirs, spec}, {});
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message().find("no-such-program"), std::string::npos)
      << outcome.error().ToString();
}

TEST_F(StepRunnerTest, StepsRunFromSeveralThreadsAtOnce) {
  // Two FIFOs in a shared bind: each step blocks until the other opens its end, so the two
  // steps can only finish if they run at the same time.
  ASSERT_TRUE(MakeDirs(dir_ / "meet").ok());
  ASSERT_EQ(mkfifo((dir_ / "meet/ab").c_str(), 0666), 0);
  ASSERT_EQ(mkfifo((dir_ / "meet/ba").c_str(), 0666), 0);
  auto step = [&](const std::string& script, std::string& output) {
    RunSpec spec = Shell(script);
    spec.mounts.push_back({RunMount::Kind::kBind, dir_ / "meet", "/meet", false, {}});
    StepDirs dirs = NewDirs();
    auto outcome =
        runner_.Run({lowers_, dirs, spec}, [&](std::string_view chunk) { output.append(chunk); });
    EXPECT_TRUE(outcome.ok() && outcome->exit_code == 0);
  };
  std::string out_a, out_b;
  std::thread a([&] { step("echo from-a > /meet/ab; cat /meet/ba", out_a); });
  std::thread b([&] { step("cat /meet/ab; echo from-b > /meet/ba", out_b); });
  a.join();
  b.join();
  EXPECT_EQ(out_a, "from-b\n");
  EXPECT_EQ(out_b, "from-a\n");
}

nlohmann::json RuncList(const std::string& state) {
  auto listed = RunProcess({"runc", "--root", state, "list", "--format", "json"});
  EXPECT_TRUE(listed.ok() && listed->ok());
  return nlohmann::json::parse(listed->out);
}

TEST_F(StepRunnerTest, AKilledRunnerLeavesAContainerRemoveStaleDeletes) {
  int started[2];
  ASSERT_EQ(pipe(started), 0);
  StepDirs dirs = NewDirs();
  StepRequest request{lowers_, dirs, Shell("echo started; exec sleep 1000")};
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(started[0]);
    RuncStepRunner runner(dir_ / "runc-state");
    auto outcome = runner.Run(request, [&](std::string_view chunk) {
      ssize_t ignored = write(started[1], chunk.data(), chunk.size());
      (void)ignored;
    });
    _exit(outcome.ok() ? 0 : 1);
  }
  close(started[1]);
  char buffer[16] = {};
  ASSERT_EQ(read(started[0], buffer, 8), 8);  // blocks until the container printed
  EXPECT_EQ(std::string(buffer, 8), "started\n");
  close(started[0]);
  // The container runs: remember its init process, then kill the runner as a crash would.
  nlohmann::json before = RuncList(dir_ / "runc-state");
  ASSERT_TRUE(before.is_array());
  ASSERT_EQ(before.size(), 1u);
  std::string id = before[0]["id"];
  pid_t init = before[0]["pid"];
  EXPECT_EQ(id.rfind("plinth-" + std::to_string(child) + "-", 0), 0u) << id;
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(ReadFile("/proc/self/mountinfo")->find(dirs.rootfs), std::string::npos);

  // A runner of this (live) process leaves the container of the dead one... only that one.
  auto removed = runner_.RemoveStale();
  ASSERT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(*removed, 1);
  nlohmann::json after = RuncList(dir_ / "runc-state");
  EXPECT_TRUE(after.is_null() || after.empty()) << after.dump();
  // Its process is gone (or, at most, a zombie awaiting its reaper: it runs no more).
  auto stat = ReadFile("/proc/" + std::to_string(init) + "/stat");
  if (stat.ok()) {
    size_t paren = stat->rfind(')');
    ASSERT_NE(paren, std::string::npos);
    EXPECT_EQ(stat->substr(paren + 2, 1), "Z") << *stat;
  }
  EXPECT_EQ(*runner_.RemoveStale(), 0);
}

}  // namespace
}  // namespace plinth::run
