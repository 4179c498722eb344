// End to end: the Lucid fleet built for this machine into a scratch store, put into a private
// podman storage with `plinth load` (once: a second load finds every image there by digest),
// written as a compose file with `plinth emit compose --only-built`, accepted by Debian's
// docker-compose, brought up by podman-compose with each service healthy after what it
// depends on, Redis answering through its port, and brought down again.
//
// Debian's podman-compose (1.0.3) neither waits for `condition: service_healthy` nor keeps an
// exec-form health check exec-form (it wraps it in /bin/sh -c, which these images do not
// have), so the test runs each service's health check from the compose file itself with
// `podman exec` and checks the start order podman recorded.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <map>
#include <thread>

#include "oci/layout_store.h"
#include "oci/platform.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

// One RESP2 command to a Redis-protocol server, its reply decoded: a simple string or a bulk
// string as its text, an integer as its digits, a nil bulk as "(nil)", an error as "-ERR …".
// Returns "" when the connection fails or the reply does not arrive in 5 s.
std::string RespCommand(const std::string& ip, int port, const std::vector<std::string>& args) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
  std::string request = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) request += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    // Read until the reply is complete: one line, or for a bulk string its length in bytes.
    char buffer[4096];
    for (;;) {
      size_t end = reply.find("\r\n");
      if (end != std::string::npos) {
        if (reply[0] != '$') break;
        long length = std::stol(reply.substr(1, end - 1));
        if (length < 0 || reply.size() >= end + 2 + static_cast<size_t>(length) + 2) break;
      }
      ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      reply.append(buffer, static_cast<size_t>(n));
    }
  }
  close(fd);
  size_t end = reply.find("\r\n");
  if (reply.empty() || end == std::string::npos) return "";
  std::string head = reply.substr(1, end - 1);
  switch (reply[0]) {
    case '+': case ':': return head;
    case '-': return "-" + head;
    case '$': return std::stol(head) < 0 ? "(nil)" : reply.substr(end + 2, std::stoul(head));
    default: return "";
  }
}

class ComposeDeployTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    scratch_ = new testing::ScratchDir();
    testing::CopyExampleFleet("lucid", Dir());
    // mongodb copies from an image no recipe provides (no registry here): it is not built, and
    // so not loaded and not in the compose file either.
    build_ = new SubprocessResult(RunPlinth({"build", "--platform", Platform(), "--pull", "never",
                                             "-k", "--allow-unreachable", "mongodb"}, {}, Dir()));
  }
  static void TearDownTestSuite() {
    delete build_;
    delete scratch_;
  }
  static std::string Dir() { return scratch_->path() + "/lucid"; }
  static std::string Platform() { return oci::Platform::Host().str(); }
  static testing::ScratchDir* scratch_;
  static SubprocessResult* build_;
};
testing::ScratchDir* ComposeDeployTest::scratch_ = nullptr;
SubprocessResult* ComposeDeployTest::build_ = nullptr;

TEST_F(ComposeDeployTest, LoadPutsTheBuiltImagesIntoPodmanOnceByDigest) {
  ASSERT_EQ(build_->exit_code, 0) << build_->out << build_->err;
  testing::ScratchDir containers;
  auto env = testing::ContainersEnv(containers.path());
  auto first = RunPlinth({"load", "--engine", "podman"}, env, Dir());
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  std::string arch = Platform().substr(6);
  EXPECT_THAT(first.out, HasSubstr("loaded     pickme/lucid-redis:latest-" + arch));
  EXPECT_THAT(first.out, HasSubstr("loaded     pickme/lucid-base:python-distroless-" + arch));
  EXPECT_THAT(first.out, HasSubstr("not built  pickme/lucid-mongodb:latest-" + arch));
  EXPECT_THAT(first.out, Not(HasSubstr("present")));
  // podman's ID of the image is its config digest, as in the store.
  auto id = testing::Run({"podman", "image", "inspect", "--format", "{{.Id}}", "pickme/lucid-redis:latest-" + arch}, env);
  ASSERT_EQ(id.exit_code, 0) << id.err;
  auto store = oci::LayoutStore::OpenExisting(Dir() + "/.plinth/store");
  ASSERT_TRUE(store);
  auto image = store->Resolve("pickme/lucid-redis:latest-" + arch);
  ASSERT_TRUE(image);
  auto manifest = store->ReadManifest(image->digest);
  ASSERT_TRUE(manifest);
  EXPECT_EQ(id.out, manifest->config.digest.hex() + "\n");

  auto second = RunPlinth({"load", "redis", "auth-service", "--engine", "podman"}, env, Dir());
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr("present    pickme/lucid-redis:latest-" + arch));
  EXPECT_THAT(second.out, HasSubstr("present    pickme/lucid-auth-service:latest-" + arch));
  EXPECT_THAT(second.out, Not(HasSubstr("loaded")));

  auto unbuilt = RunPlinth({"load", "mongodb", "--engine", "podman"}, env, Dir());
  EXPECT_NE(unbuilt.exit_code, 0);
  EXPECT_THAT(unbuilt.err, HasSubstr("plinth build"));
}

// Brings the compose project down however the test ends. podman-compose 1.0.3 leaves the
// project's network behind, and a rootful network outlives the private storage: it goes too.
struct ComposeProject {
  std::string file, name;
  std::map<std::string, std::string> env;
  SubprocessResult Down() const {
    auto down = testing::Run({"podman-compose", "-p", name, "-f", file, "down", "--volumes"}, env);
    testing::Run({"podman", "network", "rm", "-f", name + "_fleet"}, env);
    return down;
  }
  ~ComposeProject() {
    testing::Run({"podman", "rm", "-a", "-f", "-t", "0"}, env);
    Down();
  }
};

TEST_F(ComposeDeployTest, TheFleetComesUpHealthyAfterItsDependenciesAndGoesDown) {
  ASSERT_EQ(build_->exit_code, 0) << build_->out << build_->err;
  testing::ScratchDir containers;
  auto env = testing::ContainersEnv(containers.path());
  // `build --load` (everything cached by now) picks podman: no docker daemon answers here.
  auto load_env = env;
  load_env["DOCKER_HOST"] = "unix://" + containers / "no-docker.sock";
  auto loaded = RunPlinth({"build", "--platform", Platform(), "--pull", "never", "-k",
                           "--allow-unreachable", "mongodb", "--load"}, load_env, Dir());
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  EXPECT_THAT(loaded.out, HasSubstr("loaded     pickme/lucid-redis:latest-" + Platform().substr(6) + "  sha256:"));
  EXPECT_THAT(loaded.out, HasSubstr("(podman)"));
  std::string file = containers / "compose.yaml";
  auto emitted = RunPlinth({"emit", "compose", "--only-built", "-o", file}, {}, Dir());
  ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
  auto config = testing::Run({"docker-compose", "-f", file, "config", "-q"});
  ASSERT_EQ(config.exit_code, 0) << config.out << config.err;

  YAML::Node compose = YAML::LoadFile(file);
  std::vector<std::string> services;
  for (const auto& s : compose["services"]) services.push_back(s.first.as<std::string>());
  EXPECT_EQ(std::count(services.begin(), services.end(), "mongodb"), 0);
  auto text = ReadFile(file);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("# Left out: mongodb (pickme/lucid-mongodb:latest-" +
                               Platform().substr(6) + " is not in the store)\n"));
  ASSERT_GE(services.size(), 9u);

  ComposeProject project{file, "plinthcompose", env};
  auto up = testing::Run({"podman-compose", "-p", project.name, "-f", file, "up", "-d"}, env);
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;

  auto container = [&](const std::string& service) { return project.name + "_" + service + "_1"; };
  std::map<std::string, long long> started;
  for (const auto& service : services) {
    auto test = compose["services"][service]["healthcheck"]["test"].as<std::vector<std::string>>();
    ASSERT_EQ(test.at(0), "CMD") << service;
    std::vector<std::string> probe{"podman", "exec", container(service)};
    probe.insert(probe.end(), test.begin() + 1, test.end());
    SubprocessResult healthy;
    for (int attempt = 0; attempt < 60; ++attempt) {
      healthy = testing::Run(probe, env);
      if (healthy.exit_code == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    EXPECT_EQ(healthy.exit_code, 0) << service << ": " << healthy.out << healthy.err;
    auto at = testing::Run({"podman", "inspect", "--format", "{{.State.StartedAt.UnixNano}}", container(service)}, env);
    ASSERT_EQ(at.exit_code, 0) << service << ": " << at.err;
    started[service] = std::stoll(at.out);
    auto user = testing::Run({"podman", "inspect", "--format", "{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}",
                     container(service)}, env);
    EXPECT_EQ(user.out, "65532:65532 true\n") << service;
  }
  // Each service started after every service it depends on (phase order, declared ones).
  for (const auto& service : services)
    for (const auto& dependency : compose["services"][service]["depends_on"])
      EXPECT_GT(started[service], started[dependency.first.as<std::string>()])
          << service << " started before " << dependency.first.as<std::string>();

  // Redis through its published port: PING, and a key written is read back.
  EXPECT_EQ(RespCommand("127.0.0.1", 6379, {"PING"}), "PONG");
  EXPECT_EQ(RespCommand("127.0.0.1", 6379, {"SET", "plinth:compose", "up"}), "OK");
  EXPECT_EQ(RespCommand("127.0.0.1", 6379, {"GET", "plinth:compose"}), "up");

  auto down = project.Down();
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  auto left = testing::Run({"podman", "ps", "-a", "--format", "{{.Names}}"}, env);
  EXPECT_EQ(left.out, "") << "containers left after down";
  auto volumes = testing::Run({"podman", "volume", "ls", "--format", "{{.Name}}"}, env);
  EXPECT_EQ(volumes.out, "") << "volumes left after down";
}

}  // namespace
}  // namespace plinth
