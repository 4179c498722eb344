// End to end: `plinth build` of the Lucid example fleet (linux/amd64, no registry), the cache
// across rebuilds, the buildah backend, and the images running under podman.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::RunPlinth;

struct Summary {
  int built = -1, cached = -1, failed = -1, skipped = -1;
  int exit_code = -1;
  std::map<std::string, std::string> outcome;  // target → built|cached|failed|skipped
};

// Runs `plinth build --format json` in `fleet` and collects the events.
Summary Build(const std::string& fleet, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"build", "--platform", "linux/amd64", "--pull", "never", "-k",
                                "--format", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunPlinth(args, {}, fleet);
  Summary s;
  s.exit_code = r.exit_code;
  for (const auto& line : testing::JsonLines(r.out)) {
    if (line["event"] == "finish") s.outcome[line["target"]] = line["outcome"];
    if (line["event"] == "summary") {
      s.built = line["built"], s.cached = line["cached"], s.failed = line["failed"];
      s.skipped = line["skipped"];
    }
  }
  EXPECT_GE(s.built, 0) << r.out << r.err;
  return s;
}

std::vector<std::string> Built(const Summary& s) {
  std::vector<std::string> out;
  for (const auto& [t, o] : s.outcome)
    if (o == "built") out.push_back(t);
  return out;
}

class FleetBuildTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fleet_ = new testing::ScratchDir();
    testing::CopyExampleFleet("lucid", fleet_->path() + "/lucid");
    first_ = new Summary(Build(Dir()));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete fleet_;
  }
  static std::string Dir() { return fleet_->path() + "/lucid"; }
  static std::string Store() { return Dir() + "/.plinth/store"; }
  static testing::ScratchDir* fleet_;
  static Summary* first_;
};
testing::ScratchDir* FleetBuildTest::fleet_ = nullptr;
Summary* FleetBuildTest::first_ = nullptr;

TEST_F(FleetBuildTest, BuildsEverythingReachableAndReportsMongoByName) {
  EXPECT_EQ(first_->failed, 0);
  EXPECT_EQ(first_->outcome["mongodb@linux/amd64"], "skipped");
  for (const char* t : {"lucid-base@linux/amd64", "lucid-base-python@linux/amd64",
                        "lucid-base-redis@linux/amd64", "redis@linux/amd64", "api-gateway@linux/amd64",
                        "blockchain-engine@linux/amd64", "auth-service@linux/amd64"})
    EXPECT_EQ(first_->outcome[t], "built") << t;
  auto verify = RunPlinth({"--store", Store(), "store", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  auto ls = RunPlinth({"--store", Store(), "store", "ls"});
  EXPECT_NE(ls.out.find("pickme/lucid-base:python-distroless-amd64"), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("pickme/lucid-api-gateway:latest-amd64"), std::string::npos) << ls.out;
}

TEST_F(FleetBuildTest, AFleetWithASkippedTargetExitsNonZeroUnlessTheTargetIsAllowedByName) {
  // The first build skipped mongodb (mongo:7.0 is nowhere here): incomplete, exit 3.
  EXPECT_EQ(first_->exit_code, 3);
  Summary allowed = Build(Dir(), {"--allow-unreachable", "mongodb"});
  EXPECT_EQ(allowed.exit_code, 0);
  EXPECT_EQ(allowed.outcome["mongodb@linux/amd64"], "skipped");
  Summary one_platform = Build(Dir(), {"--allow-unreachable", "mongodb@linux/amd64"});
  EXPECT_EQ(one_platform.exit_code, 0);
  auto typo = RunPlinth({"build", "--platform", "linux/amd64", "--pull", "never",
                         "--allow-unreachable", "mongo"},
                        {}, Dir());
  EXPECT_EQ(typo.exit_code, 2) << typo.out << typo.err;
  EXPECT_NE(typo.err.find("'mongo' names no target"), std::string::npos) << typo.err;
}

TEST_F(FleetBuildTest, NothingChangedOrOnlyMtimesChangedBuildsNothing) {
  auto again = Build(Dir());
  EXPECT_EQ(again.built, 0) << ::testing::PrintToString(Built(again));
  fs::last_write_time(Dir() + "/services/redis/redis.conf", fs::file_time_type::clock::now());
  auto touched = Build(Dir());
  EXPECT_EQ(touched.built, 0) << ::testing::PrintToString(Built(touched));
}

TEST_F(FleetBuildTest, ChangingOneServiceRebuildsOnlyThatService) {
  std::ofstream(Dir() + "/services/tron-payment/app/server.py", std::ios::app) << "\n# changed\n";
  auto after = Build(Dir());
  EXPECT_EQ(Built(after), std::vector<std::string>{"tron-payment@linux/amd64"});
}

TEST_F(FleetBuildTest, ChangingABaseRebuildsItAndItsDependentsOnly) {
  std::ofstream(Dir() + "/infrastructure/containers/base/Dockerfile.python", std::ios::app)
      << "LABEL io.lucid.revision=\"2\"\n";
  auto after = Build(Dir());
  EXPECT_EQ(Built(after), (std::vector<std::string>{"elasticsearch@linux/amd64",
                                                    "lucid-base-python@linux/amd64"}));
}

TEST_F(FleetBuildTest, TwoBuildsAtOnceOnOneStoreBothSucceed) {
  SubprocessResult a, b;
  std::thread t1([&] { a = RunPlinth({"build", "--platform", "linux/amd64", "--pull", "never", "-k", "--no-cache", "api-gateway"}, {}, Dir()); });
  std::thread t2([&] { b = RunPlinth({"build", "--platform", "linux/amd64", "--pull", "never", "-k", "--no-cache", "admin-interface"}, {}, Dir()); });
  t1.join();
  t2.join();
  EXPECT_EQ(a.exit_code, 0) << a.out << a.err;
  EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_EQ(RunPlinth({"--store", Store(), "store", "verify"}).exit_code, 0);
}

TEST_F(FleetBuildTest, ImagesOfEachTierAnswerTheirHealthProbeUnderPodman) {
  testing::ScratchDir scratch;
  auto env = testing::ContainersEnv(scratch / "containers");
  // Foundation (on lucid-base-python), application, and the one built by a RUN backend. The
  // real Redis server has its own test (real_redis_test.cc).
  for (const std::string name : {"elasticsearch", "api-gateway", "blockchain-engine"}) {
    std::string image = "pickme/lucid-" + name + ":latest-amd64";
    auto exported = RunPlinth({"--store", Store(), "image", "export", image, "--format",
                               "docker-archive", "-o", scratch / (name + ".tar")});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    auto loaded = testing::Run({"podman", "load", "-i", scratch / (name + ".tar")}, env);
    ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
    // Start the service, then run the image's own HEALTHCHECK command inside it (exec needs
    // no shell), retrying while the server starts.
    std::string container = "plinth-probe-" + name;
    auto started = testing::Run({"podman", "run", "-d", "--name", container, "--network=none",
                                 "docker.io/" + image}, env);
    ASSERT_EQ(started.exit_code, 0) << name << ": " << started.err;
    SubprocessResult probe;
    for (int attempt = 0; attempt < 30; ++attempt) {
      probe = testing::Run({"podman", "exec", container, "/usr/bin/python3",
                            name == "blockchain-engine" ? "/app/server.pyc" : "/app/server.py",
                            "--check"}, env);
      if (probe.exit_code == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(probe.exit_code, 0) << name << ": " << probe.out << probe.err;
    testing::Run({"podman", "rm", "-f", "-t", "0", container}, env);
    auto whoami = testing::Run({"podman", "run", "--rm", "--network=none", "--entrypoint",
                                "/usr/bin/python3", "docker.io/" + image, "-c",
                                "import os; print(os.getuid())"}, env);
    EXPECT_EQ(whoami.out, "65532\n") << name << whoami.err;
    auto shell = testing::Run({"podman", "run", "--rm", "--network=none", "--entrypoint",
                               "/bin/sh", "docker.io/" + image, "-c", "true"}, env);
    EXPECT_NE(shell.exit_code, 0) << name << " has a shell";
  }
}

}  // namespace
}  // namespace plinth
