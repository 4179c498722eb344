// End to end: `plinth image build|inspect|export` and the store, read back by real tools
// (skopeo, umoci, podman, GNU tar).
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;
using testing::ScratchDir;
using testing::WriteTestFile;
namespace fs = std::filesystem;

// A small tree with the things a layer must keep: modes, setuid, symlinks, hard links, nesting.
void MakeTree(const std::string& root) {
  WriteTestFile(root + "/bin/tool", "#!tool\n", 0755);
  WriteTestFile(root + "/bin/suid", "suid\n", 04755);
  WriteTestFile(root + "/etc/config.json", "{\"a\":1}\n", 0640);
  WriteTestFile(root + "/data/nested/deep/file.txt", std::string(100000, 'x'), 0600);
  WriteTestFile(root + "/data/ünïcødé-名前.txt", "utf8\n");
  WriteTestFile(root + "/" + std::string(120, 'l') + "/" + std::string(120, 'n'), "long\n");
  fs::create_symlink("../etc/config.json", root + "/bin/config-link");
  fs::create_hard_link(root + "/bin/tool", root + "/bin/tool-hardlink");
  fs::create_directories(root + "/empty");
  chmod((root + "/empty").c_str(), 0700);
}

// Runs a real tool (skopeo, umoci, podman, …).
SubprocessResult Tool(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env = {}) {
  return testing::Run(argv, env);
}

std::string Digest(const SubprocessResult& r) {
  auto pos = r.out.rfind("sha256:");
  return pos == std::string::npos ? "" : r.out.substr(pos, 71);
}

// What a listing of the store looks like, to prove bad input changes nothing.
std::string Snapshot(const std::string& store) {
  std::string out;
  if (!fs::exists(store)) return "(none)";
  for (const auto& e : fs::recursive_directory_iterator(store)) {
    out += e.path().string() + "\n";
    if (e.path().filename() == "index.json") out += *ReadFile(e.path().string());
  }
  return out;
}

TEST(ImageBuildTest, SkopeoInspectsAndUmociUnpacksWhatPlinthWrote) {
  ScratchDir dir;
  MakeTree(dir / "tree");
  std::string store = dir / "store";
  auto built = RunPlinth({"--store", store, "image", "build", "--from", "scratch", "--add",
                          dir / "tree" + ":/app", "--user", "65532", "--entrypoint", "/app/bin/tool",
                          "--env", "MODE=prod", "--expose", "8080", "--label", "tier=app",
                          "--platform", "linux/amd64", "-t", "pickme/lucid-test:latest-amd64"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  std::string digest = Digest(built);
  ASSERT_FALSE(digest.empty()) << built.out;

  auto inspect = Tool({"skopeo", "inspect", "oci:" + store + ":pickme/lucid-test:latest-amd64"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  auto j = nlohmann::json::parse(inspect.out);
  EXPECT_EQ(j["Digest"], digest);
  EXPECT_EQ(j["Architecture"], "amd64");
  EXPECT_EQ(j["Labels"]["tier"], "app");
  auto config = Tool({"skopeo", "inspect", "--config", "oci:" + store + ":pickme/lucid-test:latest-amd64"});
  ASSERT_EQ(config.exit_code, 0) << config.err;
  auto c = nlohmann::json::parse(config.out);
  EXPECT_EQ(c["config"]["User"], "65532");
  EXPECT_EQ(c["config"]["Entrypoint"][0], "/app/bin/tool");
  EXPECT_EQ(c["created"], "1970-01-01T00:00:00Z");

  auto unpack = Tool({"umoci", "unpack", "--image", store + ":pickme/lucid-test:latest-amd64",
                     dir / "bundle"});
  ASSERT_EQ(unpack.exit_code, 0) << unpack.err;
  std::string rootfs = dir / "bundle/rootfs/app";
  for (const auto& entry : fs::recursive_directory_iterator(dir / "tree")) {
    std::string rel = entry.path().lexically_relative(dir / "tree").string();
    struct stat want, got;
    ASSERT_EQ(lstat(entry.path().c_str(), &want), 0);
    ASSERT_EQ(lstat((rootfs + "/" + rel).c_str(), &got), 0) << rel << " missing in the image";
    EXPECT_EQ(want.st_mode, got.st_mode) << rel;
    EXPECT_EQ(got.st_uid, 0u) << rel;
    EXPECT_EQ(got.st_gid, 0u) << rel;
    if (S_ISREG(want.st_mode)) EXPECT_EQ(*ReadFile(entry.path()), *ReadFile(rootfs + "/" + rel)) << rel;
    if (S_ISLNK(want.st_mode)) EXPECT_EQ(fs::read_symlink(entry.path()), fs::read_symlink(rootfs + "/" + rel));
  }
  struct stat a, b;
  ASSERT_EQ(stat((rootfs + "/bin/tool").c_str(), &a), 0);
  ASSERT_EQ(stat((rootfs + "/bin/tool-hardlink").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino) << "hard link not kept as a link";

  auto verify = RunPlinth({"--store", store, "store", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto ls = RunPlinth({"--store", store, "store", "ls"});
  size_t row = ls.out.find("pickme/lucid-test:latest-amd64");
  ASSERT_NE(row, std::string::npos) << ls.out;
  // Each row names the image's platform (from its config when index.json does not carry it).
  std::string line = ls.out.substr(row, ls.out.find('\n', row) - row);
  EXPECT_NE(line.find(" image  linux/amd64 "), std::string::npos) << ls.out;
  auto json = RunPlinth({"--store", store, "image", "inspect", "pickme/lucid-test:latest-amd64",
                         "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["digest"], digest);
}

TEST(ImageBuildTest, OwnerOptionSetsEveryEntryOwner) {
  ScratchDir dir;
  MakeTree(dir / "tree");
  std::string store = dir / "store";
  auto built = RunPlinth({"--store", store, "image", "build", "--add", dir / "tree" + ":/srv",
                          "--owner", "65532:65532", "-t", "owned:1"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  ASSERT_EQ(Tool({"umoci", "unpack", "--image", store + ":owned:1", dir / "bundle"}).exit_code, 0);
  struct stat st;
  ASSERT_EQ(lstat((dir / "bundle/rootfs/srv/bin/suid").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65532u);
  EXPECT_EQ(st.st_gid, 65532u);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
}

TEST(ImageBuildTest, PodmanRunsTheDockerArchiveAsTheGivenUser) {
  ScratchDir dir;
  WriteTestFile(dir / "uid.cc",
                "#include <cstdio>\n#include <unistd.h>\n"
                "int main() { std::printf(\"uid=%d\\n\", (int)getuid()); return 0; }\n");
  fs::create_directories(dir / "app");
  auto compiled = Tool({"g++", "-static", "-O2", "-o", dir / "app/uid", dir / "uid.cc"});
  ASSERT_EQ(compiled.exit_code, 0) << compiled.err;
  std::string store = dir / "store";
  auto built = RunPlinth({"--store", store, "image", "build", "--add", dir / "app/uid:/uid",
                          "--user", "4242", "--entrypoint", "[\"/uid\"]", "-t",
                          "localhost/plinth-uid:test"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto exported = RunPlinth({"--store", store, "image", "export", "localhost/plinth-uid:test",
                             "--format", "docker-archive", "-o", dir / "uid.tar"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  auto env = testing::ContainersEnv(dir / "containers");
  auto loaded = Tool({"podman", "load", "-i", dir / "uid.tar"}, env);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.out << loaded.err;
  auto ran = Tool({"podman", "run", "--rm", "--network=none", "localhost/plinth-uid:test"}, env);
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "uid=4242\n");
  auto oci = RunPlinth({"--store", store, "image", "export", "localhost/plinth-uid:test",
                        "--format", "oci-archive", "-o", dir / "uid-oci.tar"});
  ASSERT_EQ(oci.exit_code, 0) << oci.err;
  auto skopeo = Tool({"skopeo", "inspect", "oci-archive:" + dir / "uid-oci.tar"});
  EXPECT_EQ(skopeo.exit_code, 0) << skopeo.err;
  Tool({"podman", "rmi", "-f", "localhost/plinth-uid:test"}, env);
}

TEST(ImageBuildTest, SameTreeInTwoPlacesAtTwoTimesGivesTheSameDigest) {
  ScratchDir dir;
  MakeTree(dir / "one/tree");
  ASSERT_EQ(Tool({"cp", "-a", dir / "one/tree", dir / "two-tree"}).exit_code, 0);
  ASSERT_EQ(Tool({"touch", "-d", "2001-02-03 04:05:06", dir / "two-tree/bin/tool"}).exit_code, 0);
  auto first = RunPlinth({"--store", dir / "s1", "image", "build", "--add",
                          dir / "one/tree:/app", "-t", "r:1"});
  sleep(1);
  auto second = RunPlinth({"--store", dir / "s2", "image", "build", "--add",
                           dir / "two-tree:/app", "-t", "r:1"}, {}, dir.path());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Digest(first), Digest(second));
  auto stamped = RunPlinth({"--store", dir / "s3", "image", "build", "--add",
                            dir / "one/tree:/app", "-t", "r:1"},
                           {{"SOURCE_DATE_EPOCH", "1700000000"}});
  ASSERT_EQ(stamped.exit_code, 0) << stamped.err;
  EXPECT_NE(Digest(first), Digest(stamped));
}

struct BadInputCase {
  std::string name;
  std::vector<std::string> args;  // after "image build"
  std::string expected;           // in the error message
};

TEST(ImageBuildTest, BadInputIsRefusedWithExit2AndTheStoreUnchanged) {
  ScratchDir dir;
  MakeTree(dir / "tree");
  std::string store = dir / "store";
  ASSERT_EQ(RunPlinth({"--store", store, "image", "build", "--add", dir / "tree:/app", "-t", "ok:1"}).exit_code, 0);
  // a socket inside a tree
  fs::create_directories(dir / "socktree");
  WriteTestFile(dir / "socktree/file", "x");
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = dir / "socktree/app.sock";
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);

  const std::vector<BadInputCase> cases = {
      {"missing source", {"--add", dir / "nope:/x", "-t", "bad:1"}, "nope"},
      {"socket", {"--add", dir / "tree:/app", "--add", dir / "socktree:/s", "-t", "bad:1"}, "socket"},
      {"destination outside root", {"--add", dir / "tree:../../etc", "-t", "bad:1"}, "outside"},
      {"malformed reference", {"--add", dir / "tree:/app", "-t", "Bad Name:1"}, "invalid image reference"},
      {"unknown base", {"--from", "pickme/missing:1", "--add", dir / "tree:/app", "-t", "bad:1"}, "pickme/missing:1"},
      {"bad platform", {"--platform", "linux", "--add", dir / "tree:/app", "-t", "bad:1"}, "platform"},
  };
  for (const auto& c : cases) {
    std::string before = Snapshot(store);
    std::vector<std::string> args{"--store", store, "image", "build"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = RunPlinth(args);
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(Snapshot(store), before) << c.name << " changed the store";
  }
  close(fd);

  // An unreadable file: run plinth as an unprivileged user, who cannot read a 0600 root file.
  fs::create_directories(dir / "private");
  WriteTestFile(dir / "private/secret", "s", 0600);
  chmod(dir.path().c_str(), 0755);
  chmod((dir / "private").c_str(), 0755);
  fs::create_directories(dir / "nobody-store");
  chmod((dir / "nobody-store").c_str(), 0777);
  std::string before = Snapshot(dir / "nobody-store");
  auto r = Tool({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                testing::PlinthBinary(), "--store", dir / "nobody-store", "image", "build",
                "--add", dir / "private:/p", "-t", "bad:1"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("secret"), std::string::npos) << r.err;
  EXPECT_EQ(Snapshot(dir / "nobody-store"), before);
}

}  // namespace
}  // namespace plinth
