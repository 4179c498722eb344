// End to end: the Lucid example's redis is the real Redis server. `plinth build redis` for the
// machine's platform builds distroless base-debian12 from its recipe, lucid-base on it, the
// Redis packages layered over lucid-base (lucid-base-redis, a recipe with `from:`) and the
// service; the image then runs under podman (its own storage and CONTAINERS_CONF) and answers
// PING, SET, GET and SAVE (into /data) through its published port, as 65532, with no /bin/sh in
// it. Debian packages come from the shared test cache (tests/support/test_env.h TestDebCache),
// which scripts/test.sh's cold pass empties.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "oci/platform.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;

// Sends RESP commands to 127.0.0.1:`port` and reads until `expected_bytes` have come back or
// `deadline` passes; "" when nothing can connect.
std::string Exchange(int port, const std::string& request, size_t expected_bytes,
                     std::chrono::steady_clock::time_point deadline) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    while (reply.size() < expected_bytes && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      char buf[4096];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      reply.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return reply;
}

std::string Command(std::initializer_list<std::string> words) {
  std::string out = "*" + std::to_string(words.size()) + "\r\n";
  for (const auto& w : words) out += "$" + std::to_string(w.size()) + "\r\n" + w + "\r\n";
  return out;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST(RealRedisTest, TheExampleRedisIsTheRealServerRunningAsNonrootWithoutAShell) {
  testing::ScratchDir dir;
  testing::CopyExampleFleet("lucid", dir / "lucid");
  auto env = testing::ContainersEnv(dir / "containers");
  env["PLINTH_DEBIAN_CACHE"] = testing::TestDebCache();
  std::string arch = oci::Platform::Host().architecture;

  auto built = RunPlinth({"build", "redis", "--platform", "linux/" + arch, "--pull", "never"}, env,
                         dir / "lucid");
  ASSERT_EQ(built.exit_code, 0) << built.out << built.err;
  EXPECT_NE(built.out.find("lucid-base-redis@linux/" + arch), std::string::npos) << built.out;

  std::string image = "pickme/lucid-redis:latest-" + arch;
  auto exported = RunPlinth({"--store", dir / "lucid/.plinth/store", "image", "export", image,
                             "--format", "docker-archive", "-o", dir / "redis.tar"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto loaded = testing::Run({"podman", "load", "-i", dir / "redis.tar"}, env);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;

  std::string container = "plinth-real-redis-" + std::to_string(getpid());
  auto started = testing::Run({"podman", "run", "-d", "--name", container, "-p", "127.0.0.1::6379",
                               "docker.io/" + image}, env);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  struct Remove {
    std::string container;
    std::map<std::string, std::string> env;
    ~Remove() { testing::Run({"podman", "rm", "-f", "-t", "0", container}, env); }
  } remove{container, env};

  auto port_out = testing::Run({"podman", "port", container, "6379"}, env);
  ASSERT_EQ(port_out.exit_code, 0) << port_out.err;
  int port = std::stoi(Trim(port_out.out).substr(Trim(port_out.out).rfind(':') + 1));

  // The server takes a moment to listen: PING until it answers (or 30 s pass).
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::string pong;
  while (pong != "+PONG\r\n" && std::chrono::steady_clock::now() < deadline) {
    pong = Exchange(port, Command({"PING"}), 7, deadline);
    if (pong != "+PONG\r\n") std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(pong, "+PONG\r\n") << testing::Run({"podman", "logs", container}, env).err;

  std::string expected = "+OK\r\n$11\r\nfoundation!\r\n";
  std::string reply = Exchange(port, Command({"SET", "lucid", "foundation!"}) + Command({"GET", "lucid"}),
                               expected.size(), std::chrono::steady_clock::now() + std::chrono::seconds(10));
  EXPECT_EQ(reply, expected);
  // SAVE writes /data/dump.rdb: the data folder belongs to the server's user.
  EXPECT_EQ(Exchange(port, Command({"SAVE"}), 5, std::chrono::steady_clock::now() + std::chrono::seconds(10)),
            "+OK\r\n");

  // The manifest's health check, exec form, inside the container.
  auto health = testing::Run({"podman", "exec", container, "redis-cli", "-p", "6379", "ping"}, env);
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_EQ(Trim(health.out), "PONG");

  // The server process: uid 65532 (rootful podman: the host sees the container's uid), whose
  // name in the image's /etc/passwd is nonroot.
  auto top = testing::Run({"podman", "top", container, "user", "huser", "args"}, env);
  ASSERT_EQ(top.exit_code, 0) << top.err;
  std::istringstream rows(top.out);
  std::string header, user, huser, command;
  std::getline(rows, header);
  rows >> user >> huser >> command;
  EXPECT_EQ(user, "nonroot") << top.out;
  EXPECT_EQ(huser, "65532") << top.out;
  EXPECT_EQ(command, "/usr/bin/redis-server") << top.out;

  auto shell = testing::Run({"podman", "run", "--rm", "--network=none", "--entrypoint", "/bin/sh",
                             "docker.io/" + image, "-c", "true"}, env);
  EXPECT_NE(shell.exit_code, 0) << "the image has a shell";
  EXPECT_NE(shell.err.find("/bin/sh"), std::string::npos) << shell.err;
}

// `plinth base build` of a layered recipe reads its `from` image from the store: without it the
// build stops before fetching anything, naming the image per architecture.
TEST(RealRedisTest, BaseBuildOfALayeredRecipeNeedsItsBaseInTheStore) {
  testing::ScratchDir dir;
  auto built = RunPlinth({"--store", dir / "store", "base", "build",
                          testing::SourceDir() + "/examples/lucid/bases/lucid-base-redis.yaml",
                          "--arch", "arm64", "--lock", dir / "plinth.lock"},
                         {{"PLINTH_DEBIAN_CACHE", testing::TestDebCache()}});
  EXPECT_EQ(built.exit_code, 2) << built.out << built.err;
  EXPECT_NE(built.err.find("reading the image it layers over (from: pickme/lucid-base:latest-${ARCH}): "
                           "image 'pickme/lucid-base:latest-arm64' is not in the store"),
            std::string::npos)
      << built.err;
  EXPECT_FALSE(PathExists(dir / "plinth.lock"));
}

}  // namespace
}  // namespace plinth
