// End to end: a native build killed while its RUN runs leaves nothing behind once the next build
// in that store has started. The killed build's step is `RUN sleep 600` (tests/e2e/run_fixtures/
// sleeper); the test waits until runc reports the step's container running (polling `runc list`
// under a deadline: a condition, not a fixed sleep), SIGKILLs plinth (no handler runs), then
// builds another RUN target in the same store and checks: no mount of the store in this
// namespace's mountinfo, no container in the store's runc state folder, no step folder under
// STORE/plinth/steps-run, and no process left of the killed step (found by the build argument
// KILL_TEST_ID in its environment, which BuildKit's rules put there).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "e2e/debian_base_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;

// The pids of processes whose environment holds `entry` ("KEY=VALUE").
std::vector<int> ProcessesWithEnv(const std::string& entry) {
  std::vector<int> pids;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator("/proc", ec)) {
    std::string name = dir.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(dir.path() / "environ", std::ios::binary);
    std::string environ((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t at = 0;
    while (at < environ.size()) {
      size_t end = environ.find('\0', at);
      if (end == std::string::npos) end = environ.size();
      if (environ.compare(at, end - at, entry) == 0) {
        pids.push_back(std::stoi(name));
        break;
      }
      at = end + 1;
    }
  }
  return pids;
}

// Lines of this process's mountinfo that name `path`.
std::vector<std::string> MountsUnder(const std::string& path) {
  std::vector<std::string> found;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);)
    if (line.find(path) != std::string::npos) found.push_back(line);
  return found;
}

// `runc --root STATE list` as JSON (an empty list when runc prints "null" or nothing).
nlohmann::json RuncList(const std::string& state) {
  auto r = testing::Run({"runc", "--root", state, "list", "--format", "json"});
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_array() ? j : nlohmann::json::array();
}

// Starts `plinth ARGS` in `cwd` with its output going to `log`; returns its pid.
pid_t StartPlinth(const std::vector<std::string>& args, const std::string& cwd,
                  const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(127);
    FILE* out = std::fopen(log.c_str(), "w");
    if (!out) _exit(127);
    dup2(fileno(out), 1);
    dup2(fileno(out), 2);
    std::string binary = testing::PlinthBinary();
    std::vector<char*> argv{binary.data()};
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

TEST(RunKillTest, AKilledBuildLeavesNoMountContainerStepFolderOrProcess) {
  testing::ScratchDir dir;
  std::string fleet = dir / "fleet";
  testing::WriteRunFleet(fleet);
  ASSERT_FALSE(::testing::Test::HasFailure());
  std::string store = fleet + "/.plinth/store";
  std::string state = store + "/plinth/runc";
  std::string id = "KILL_TEST_ID=" + std::to_string(getpid()) + "-" + std::to_string(time(nullptr));
  std::string log = dir / "killed.log";

  pid_t plinth = StartPlinth({"build", "--platform", "linux/amd64", "--pull", "never", "--no-cache",
                              "--no-lint", "--backend", "native", "--build-arg", id, "sleeper"},
                             fleet, log);
  ASSERT_GT(plinth, 0);
  // Wait for the step's container to run (the first build unpacks the base's snapshot first).
  bool running = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  while (!running && std::chrono::steady_clock::now() < deadline) {
    for (const auto& c : RuncList(state))
      if (c.value("status", "") == "running") running = true;
    int status = 0;
    if (!running && waitpid(plinth, &status, WNOHANG) == plinth) {
      FAIL() << "plinth ended (status " << status << ") before its RUN ran:\n"
             << ReadFile(log).value_or("");
    }
    if (!running) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!running) {
    kill(plinth, SIGKILL);
    waitpid(plinth, nullptr, 0);
    FAIL() << "no running container in " << state << " within 10 minutes:\n"
           << ReadFile(log).value_or("");
  }
  // The step runs: its process is there with the build argument in its environment.
  ASSERT_FALSE(ProcessesWithEnv(id).empty()) << "the RUN's process is not found by " << id;

  ASSERT_EQ(kill(plinth, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(plinth, &status, 0), plinth);
  ASSERT_TRUE(WIFSIGNALED(status));

  // The next build in that store, with a RUN of its own, cleans up what the killed one left.
  auto next = testing::RunPlinth({"build", "--platform", "linux/amd64", "--pull", "never",
                                  "--no-cache", "--no-lint", "--backend", "native", "quick"},
                                 {}, fleet);
  EXPECT_EQ(next.exit_code, 0) << next.out << next.err;

  EXPECT_TRUE(MountsUnder(store).empty()) << MountsUnder(store).front();
  EXPECT_TRUE(RuncList(state).empty()) << RuncList(state).dump();
  std::error_code ec;
  std::string steps = store + "/plinth/steps-run";
  EXPECT_TRUE(!fs::exists(steps) || fs::is_empty(steps, ec))
      << fs::directory_iterator(steps, ec)->path();
  EXPECT_TRUE(ProcessesWithEnv(id).empty()) << "the killed RUN's process is still there";
}

}  // namespace
}  // namespace plinth
