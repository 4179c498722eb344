// End to end: the RUN fleet of tests/e2e/run_fixtures built through plinth's native RUN
// (`--backend native`: runc on overlay snapshots) and through buildah (`--backend buildah`),
// each into a store of its own, on the same Debian 12 base (debootstrap, debian_base_support.h).
// The images are unpacked by skopeo and umoci and their file trees must be equal: paths, types,
// modes with setuid/setgid/sticky, owners, sizes, contents, symlink targets, hard links. The
// native layer of the RUN that removes base files must say so with OCI whiteouts; the final image
// of the two-stage service runs under podman; the secret reaches its RUN but no blob, no file of
// the store and no output.
//
// Where the two legitimately differ, the comparison leaves out exactly these, each for its reason:
//   * buildah's mount stubs: /etc/hosts, /etc/hostname, /etc/resolv.conf (files buildah binds
//     into every RUN), /run/secrets (the secrets' folder) and /root/token-here (a secret's own
//     target), which buildah 1.28 leaves in the image as empty files and an empty folder when
//     the base lacks them. BuildKit's mount stub cleaner removes them, and so does native RUN
//     (run/step_runner.h). Left out only when they are on buildah's side alone and empty.
//   * the target folders of cache mounts (/var/cache/apt, /var/lib/apt/lists, and the folders in
//     them): buildah 1.28 drops a cache mount's target from the image after the RUN, with what
//     the base had there; BuildKit keeps the base's folders, and so does native RUN. Left out
//     only when they are folders on native's side alone.
//   * the contents (not the type, mode, owner or size) of files that record when or on which
//     inodes a command ran: /var/log/dpkg.log, /var/log/alternatives.log,
//     /var/log/apt/history.log and /var/log/apt/term.log (dates and times of the apt run), and
//     /var/cache/ldconfig/aux-cache (ldconfig's cache keyed by the libraries' inode numbers and
//     ctimes). Two buildah builds of the same Dockerfile differ in exactly these too.
//   * heredocs: buildah 1.28 does not parse them (it came with buildah 1.33), so the buildah copy
//     of the fleet gets each `RUN <<EOF` as BuildKit itself runs it: the stage's shell with the
//     heredoc's body as its script (`RUN ["/bin/sh", "-c", BODY]`), which makes the same files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/debian_base_support.h"
#include "e2e/image_tree_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::FileTree;
using testing::RunPlinth;

constexpr const char* kPlatform = "linux/amd64";
constexpr const char* kToolchainImage = "run/toolchain:latest-amd64";
constexpr const char* kHelloImage = "run/hello:latest-amd64";
constexpr const char* kSecretImage = "run/secret:latest-amd64";
// What the secret stage's RUNs read; it must be found nowhere afterwards.
constexpr const char* kSecret = "plinth-e2e-secret-5d1c7a09e3b84f26";

const std::set<std::string> kBuildahMountStubs = {"/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
                                                  "/run/secrets", "/root/token-here"};
const std::vector<std::string> kCacheTargets = {"/var/cache/apt", "/var/lib/apt/lists"};
const std::set<std::string> kRunRecords = {"/var/log/dpkg.log", "/var/log/alternatives.log",
                                           "/var/log/apt/history.log", "/var/log/apt/term.log",
                                           "/var/cache/ldconfig/aux-cache"};

// `RUN <<WORD` … `WORD` (a heredoc that is the whole command) as BuildKit runs it: the shell
// with the body as its script, in exec form so that the body's lines stay as they are.
std::string HeredocsAsShellScripts(const std::string& dockerfile) {
  std::string out;
  size_t at = 0;
  while (at < dockerfile.size()) {
    size_t end = dockerfile.find('\n', at);
    if (end == std::string::npos) end = dockerfile.size();
    std::string line = dockerfile.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with("RUN <<") || line.find(' ', 6) != std::string::npos) {
      out += line + "\n";
      continue;
    }
    std::string word = line.substr(6);
    if (word.starts_with("-")) word.erase(0, 1);
    if (word.size() > 1 && (word[0] == '"' || word[0] == '\''))
      word = word.substr(1, word.size() - 2);
    std::string body;
    while (at < dockerfile.size()) {
      end = dockerfile.find('\n', at);
      if (end == std::string::npos) end = dockerfile.size();
      std::string body_line = dockerfile.substr(at, end - at);
      at = end + 1;
      if (body_line == word) break;
      body += body_line + "\n";
    }
    out += "RUN " + nlohmann::json::array({"/bin/sh", "-c", body}).dump() + "\n";
  }
  return out;
}

struct Build {
  SubprocessResult run;
  std::map<std::string, std::string> outcome;  // target → built|cached|failed|skipped
  std::map<std::string, std::string> detail;
};

class RunBackendsTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteTestFile(dir_ / "secret", kSecret, 0600); }

  // The fleet for `backend` in a folder of its own (its store at .plinth/store).
  std::string Fleet(const std::string& backend) {
    std::string fleet = dir_ / backend;
    if (fs::exists(fleet)) return fleet;
    testing::WriteRunFleet(fleet);
    if (backend == "buildah") {
      for (const auto& entry : fs::recursive_directory_iterator(fleet)) {
        if (entry.path().filename() != "Dockerfile") continue;
        auto text = ReadFile(entry.path());
        if (text) testing::WriteTestFile(entry.path(), HeredocsAsShellScripts(*text));
      }
    }
    return fleet;
  }

  Build BuildWith(const std::string& backend, const std::vector<std::string>& targets) {
    // --no-lint: these are test images, not a fleet's runtime images (apt-get in the last stage
    // is the point of them).
    std::vector<std::string> args{"build",
                                  "--platform",
                                  kPlatform,
                                  "--pull",
                                  "never",
                                  "--no-cache",
                                  "--no-lint",
                                  "--format",
                                  "json",
                                  "--backend",
                                  backend,
                                  "--secret",
                                  "id=token,src=" + dir_ / "secret"};
    args.insert(args.end(), targets.begin(), targets.end());
    Build b;
    std::string fleet = Fleet(backend);
    b.run = RunPlinth(args, testing::ContainersEnv(dir_ / ("containers-" + backend)), fleet);
    for (const auto& line : testing::JsonLines(b.run.out)) {
      if (line["event"] != "finish") continue;
      b.outcome[line["target"]] = line["outcome"];
      if (line.contains("detail")) b.detail[line["target"]] = line["detail"];
    }
    return b;
  }

  static std::string Store(const std::string& fleet) { return fleet + "/.plinth/store"; }

  // Builds `target` through both backends, asserts both built, and returns the differences
  // between the two images' trees once the exclusions above are applied.
  std::vector<std::string> CompareBackends(const std::string& target, const std::string& image) {
    std::string where = target + "@" + kPlatform;
    Build native = BuildWith("native", {target});
    EXPECT_EQ(native.outcome[where], "built") << native.detail[where] << native.run.err;
    Build buildah = BuildWith("buildah", {target});
    EXPECT_EQ(buildah.outcome[where], "built") << buildah.detail[where] << buildah.run.err;
    if (native.outcome[where] != "built" || buildah.outcome[where] != "built") return {"not built"};
    FileTree a = testing::UnpackedImageTree(Store(Fleet("native")), image, dir_ / "tree-native");
    FileTree b = testing::UnpackedImageTree(Store(Fleet("buildah")), image, dir_ / "tree-buildah");
    EXPECT_GT(a.size(), 1000u);  // a whole Debian, not an empty tree
    for (const auto& stub : kBuildahMountStubs) {
      auto it = b.find(stub);
      if (a.count(stub) || it == b.end()) continue;
      bool empty =
          (it->second.type == 'f' && it->second.size == 0) ||
          (it->second.type == 'd' && fs::is_empty(dir_ / "tree-buildah/bundle/rootfs" + stub));
      if (empty) b.erase(it);
    }
    for (auto it = a.begin(); it != a.end();) {
      bool under_cache = false;
      for (const auto& target : kCacheTargets)
        under_cache |= it->first == target || it->first.starts_with(target + "/");
      if (under_cache && it->second.type == 'd' && !b.count(it->first))
        it = a.erase(it);
      else
        ++it;
    }
    for (const auto& path : kRunRecords) {
      for (FileTree* tree : {&a, &b})
        if (auto it = tree->find(path); it != tree->end()) it->second.sha256 = "(time-dependent)";
    }
    return testing::TreeDifferences(a, b, "native", "buildah");
  }

  testing::ScratchDir dir_;
};

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  return text;
}

TEST_F(RunBackendsTest, HeredocsBecomeTheShellWithTheBodyAsScript) {
  EXPECT_EQ(HeredocsAsShellScripts("FROM x\nRUN <<EOF\nset -e\necho \"a b\"\nEOF\nUSER 1\n"),
            "FROM x\nRUN [\"/bin/sh\",\"-c\",\"set -e\\necho \\\"a b\\\"\\n\"]\nUSER 1\n");
  EXPECT_EQ(HeredocsAsShellScripts("RUN <<-'END'\nx\nEND\n"),
            "RUN [\"/bin/sh\",\"-c\",\"x\\n\"]\n");
  // A heredoc that is not the whole command, and other RUNs, stay as they are.
  EXPECT_EQ(HeredocsAsShellScripts("RUN cat <<EOF > /f\nx\nEOF\nRUN a\n"),
            "RUN cat <<EOF > /f\nx\nEOF\nRUN a\n");
}

// apt-get from Debian's archive on locked cache mounts, tcc, a heredoc, whiteouts, hard links,
// setuid/setgid/sticky, other owners, a non-root USER: one tree through both.
TEST_F(RunBackendsTest, ToolchainStageIsTheSameTreeThroughNativeAndBuildah) {
  auto differences = CompareBackends("toolchain", kToolchainImage);
  EXPECT_TRUE(differences.empty()) << Lines(differences);

  // What the RUNs made is there (so equality is not two empty answers).
  FileTree tree = testing::ReadFileTree(dir_ / "tree-native/bundle/rootfs");
  EXPECT_EQ(tree["/usr/bin/tcc"].type, 'f');
  EXPECT_EQ(tree["/usr/local/bin/hello-setuid"].mode, 04755u);
  EXPECT_EQ(tree["/opt/setgid"].mode, 02775u);
  EXPECT_EQ(tree["/opt/setgid"].gid, 50u);
  EXPECT_EQ(tree["/opt/sticky"].mode, 01777u);
  EXPECT_EQ(tree["/opt/sticky/owned"].uid, 1234u);
  EXPECT_EQ(tree["/opt/links/b"].hardlink, "/opt/links/a");
  EXPECT_EQ(tree["/opt/links/c"].hardlink, "/opt/links/a");
  EXPECT_EQ(tree["/home/builder/work/file"].uid, 1234u);
  EXPECT_FALSE(tree.count("/etc/motd"));
  EXPECT_FALSE(tree.count("/usr/share/doc/apt"));
  EXPECT_FALSE(tree.count("/etc/cron.daily/dpkg"));
  EXPECT_EQ(tree["/etc/cron.daily/only-this"].type, 'f');
  std::string root = dir_ / "tree-native/bundle/rootfs";
  EXPECT_EQ(ReadFile(root + "/opt/heredoc/lines.txt").value_or(""), "one\ntwo\nthree\n");
  EXPECT_EQ(ReadFile(root + "/src/hello.out").value_or(""),
            "hello from a RUN-built binary, uid 0\n");
  EXPECT_EQ(ReadFile(root + "/home/builder/id.txt").value_or(""),
            "uid=1234(builder) gid=1234(builder) groups=1234(builder)\n");
  // apt's caches were cache mounts: nothing of them in the image.
  EXPECT_FALSE(tree.count("/var/cache/apt/archives/tcc_0.9.27+git20200814.62c30a4a-1_amd64.deb"));
  for (const auto& [path, entry] : tree)
    EXPECT_FALSE(path.starts_with("/var/lib/apt/lists/") && path != "/var/lib/apt/lists/partial" &&
                 path != "/var/lib/apt/lists/lock")
        << path << " came from the lists cache mount";
}

// The RUN that removes base files: its native layer says so with OCI whiteouts, a folder removed
// and made again with an opaque marker.
TEST_F(RunBackendsTest, NativeRmLayerHoldsTheWhiteouts) {
  Build native = BuildWith("native", {"toolchain"});
  ASSERT_EQ(native.outcome["toolchain@linux/amd64"], "built") << native.run.out << native.run.err;
  auto layers = testing::LayerMemberNames(Store(Fleet("native")), kToolchainImage);
  const std::vector<std::string>* rm_layer = nullptr;
  for (const auto& names : layers)
    if (std::find(names.begin(), names.end(), "etc/.wh.motd") != names.end()) rm_layer = &names;
  ASSERT_NE(rm_layer, nullptr) << "no layer whites out /etc/motd";
  std::set<std::string> names(rm_layer->begin(), rm_layer->end());
  for (const char* wh : {"etc/.wh.motd", "etc/.wh.issue.net", "usr/share/doc/.wh.apt"})
    EXPECT_TRUE(names.count(wh)) << wh << " missing from the rm layer";
  // /etc/cron.daily was removed and made again: overlay made it opaque, the layer says so.
  EXPECT_TRUE(names.count("etc/cron.daily/.wh..wh..opq"));
  EXPECT_TRUE(names.count("etc/cron.daily/only-this"));
  // The layer holds what the step changed and nothing of the rest of the base.
  EXPECT_FALSE(names.count("usr/bin/tcc"));
  EXPECT_LT(names.size(), 20u);
}

// The secret reaches its RUNs (at /run/secrets/token and at a target of its own: the image holds
// its length and digest) and nothing else: no file of the native store (blobs raw and
// decompressed, snapshots, step cache records, run caches) and no output of the build.
TEST_F(RunBackendsTest, SecretReachesItsRunsAndNoBlobNoStoreFileNoOutput) {
  Build native = BuildWith("native", {"secret"});
  ASSERT_EQ(native.outcome["secret@linux/amd64"], "built") << native.run.out << native.run.err;
  EXPECT_EQ(native.run.out.find(kSecret), std::string::npos) << native.run.out;
  EXPECT_EQ(native.run.err.find(kSecret), std::string::npos) << native.run.err;
  EXPECT_EQ(Lines(testing::FilesHolding(Store(Fleet("native")), kSecret)), "");
  FileTree tree = testing::UnpackedImageTree(Store(Fleet("native")), kSecretImage, dir_ / "tree");
  std::string root = dir_ / "tree/bundle/rootfs";
  EXPECT_EQ(ReadFile(root + "/secret-length").value_or(""),
            std::to_string(std::string(kSecret).size()) + "\n");
  EXPECT_EQ(ReadFile(root + "/secret-sha256").value_or(""), Sha256::HexOf(kSecret) + "  -\n");
  EXPECT_FALSE(tree.count("/root/token-here")) << "the secret's mount point was left in the image";
  // The search finds what is there: the secret in a file, and in a gzip of it.
  testing::WriteTestFile(dir_ / "probe/plain", std::string("x") + kSecret + "y");
  ASSERT_EQ(testing::Run({"sh", "-c", "gzip -c plain > plain.gz"}, {}, dir_ / "probe").exit_code,
            0);
  EXPECT_EQ(testing::FilesHolding(dir_ / "probe", kSecret).size(), 2u);
}

// The same secret stage through both backends: equal trees, and no blob of the buildah-built
// store holds the secret either.
TEST_F(RunBackendsTest, SecretStageIsTheSameTreeThroughNativeAndBuildah) {
  auto differences = CompareBackends("secret", kSecretImage);
  EXPECT_TRUE(differences.empty()) << Lines(differences);
  EXPECT_EQ(Lines(testing::FilesHolding(Store(Fleet("buildah")) + "/blobs", kSecret)), "");
}

// Two stages, COPY --from of the compiled binary into a clean final stage that runs as 1234:
// equal trees, and the image runs under podman through both.
TEST_F(RunBackendsTest, MultiStageResultIsTheSameAndRunsUnderPodman) {
  auto differences = CompareBackends("hello", kHelloImage);
  EXPECT_TRUE(differences.empty()) << Lines(differences);
  auto env = testing::ContainersEnv(dir_ / "podman");
  for (const char* backend : {"native", "buildah"}) {
    // podman's oci: transport misreads a path with a dot in it (".plinth", and the scratch
    // folder's name): it gets the store through a link whose path has none.
    std::string link = "/tmp/plinth-run-e2e-" + std::to_string(getpid()) + "-" + backend;
    fs::remove(link);
    fs::create_symlink(Store(Fleet(backend)), link);
    auto run = testing::Run({"podman", "run", "--rm", "oci:" + link + ":" + kHelloImage}, env);
    fs::remove(link);
    EXPECT_EQ(run.exit_code, 0) << backend << ": " << run.err;
    EXPECT_EQ(run.out, "hello from a RUN-built binary, uid 1234\n") << backend;
  }
}

}  // namespace
}  // namespace plinth
