// `plinth base build` end to end: real Debian packages (apt-get against the system's Debian
// mirror, cached in $PLINTH_TEST_DEB_CACHE or $HOME/.cache/plinth-test-debs), images in a real
// OCI layout store, run under podman (runc, lowered ulimits) as uid 65532 and unpacked by umoci.
// Some tests start from an empty cache of their own: concurrent builds sharing one, and a
// build from inside a fleet folder with relative paths.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include "debian/deb_cache.h"
#include "debian/elf_arch.h"
#include "oci/layout_store.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {


using testing::RunPlinth;

std::string Recipe(const std::string& name) {
  return testing::SourceDir() + "/examples/lucid/bases/" + name + ".yaml";
}

class BaseImagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::ScratchDir();
    env_ = testing::ContainersEnv(dir_->path() + "/containers");
    env_["PLINTH_DEBIAN_CACHE"] = testing::TestDebCache();
    // podman's oci: transport refuses upper-case letters in the path (mkdtemp makes some).
    link_ = "/tmp/plinth-base-e2e-" + std::to_string(getpid());
    symlink(dir_->path().c_str(), link_.c_str());
  }
  static void TearDownTestSuite() {
    unlink(link_.c_str());
    delete dir_;
    dir_ = nullptr;
  }

  // Builds a recipe into the suite's store, with its lock in the scratch folder.
  static SubprocessResult Build(const std::string& recipe, const std::string& arch,
                                const std::string& store = "store", const std::string& lock = "plinth.lock") {
    return RunPlinth({"--store", (*dir_) / store, "base", "build", Recipe(recipe), "--arch", arch,
                      "--lock", (*dir_) / lock},
                     env_);
  }

  static SubprocessResult Podman(std::vector<std::string> args) {
    args.insert(args.begin(), {"podman", "run", "--rm"});
    return plinth::testing::Run(args, env_);
  }

  static std::string Image(const std::string& ref) { return "oci:" + link_ + "/store:" + ref; }

  // The digest a build printed ("tagged REF -> DIGEST").
  static std::string Tagged(const std::string& out) {
    size_t at = out.find("tagged ");
    return at == std::string::npos ? "" : out.substr(at, out.find('\n', at) - at);
  }

  static testing::ScratchDir* dir_;
  static std::map<std::string, std::string> env_;
  static std::string link_;
};

testing::ScratchDir* BaseImagesTest::dir_ = nullptr;
std::map<std::string, std::string> BaseImagesTest::env_;
std::string BaseImagesTest::link_;

TEST_F(BaseImagesTest, PythonBaseRunsTlsAsNonrootWithoutShellOrPackageManager) {
  auto built = Build("python3-debian12", "amd64");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto run = Podman({"--user", "65532", Image("python3-debian12:latest"), "-c",
                     "import ssl, json, os; "
                     "c = ssl.create_default_context(cafile='/etc/ssl/certs/ca-certificates.crt'); "
                     "print(json.dumps({'uid': os.getuid(), 'cas': c.cert_store_stats()['x509_ca'] > 100, "
                     "'sh': os.path.exists('/bin/sh') or os.path.exists('/usr/bin/sh'), "
                     "'dpkg': os.path.exists('/usr/bin/dpkg'), 'apt': os.path.exists('/usr/bin/apt-get'), "
                     "'home': os.stat('/home/nonroot').st_uid, 'tmp': oct(os.stat('/tmp').st_mode & 0o7777), "
                     "'os': open('/etc/os-release').read().count('bookworm') > 0, "
                     "'records': len(os.listdir('/var/lib/dpkg/status.d')) > 20}, sort_keys=True))"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(R"({"apt": false, "cas": true, "dpkg": false, "home": 65532, "os": true, )"
                         R"("records": true, "sh": false, "tmp": "0o1777", "uid": 65532})"),
            std::string::npos)
      << run.out;
  auto shell = Podman({"--entrypoint", "/bin/sh", Image("python3-debian12:latest"), "-c", "true"});
  EXPECT_NE(shell.exit_code, 0);
}

TEST_F(BaseImagesTest, JavaBaseRunsJavaVersion) {
  auto built = Build("java17-debian12", "amd64");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto run = Podman({"--user", "65532", "--entrypoint", "/usr/bin/java", Image("java17-debian12:latest"), "-version"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("openjdk version \"17."), std::string::npos) << run.err;
}

TEST_F(BaseImagesTest, GeneralBaseRunsAStaticProgram) {
  testing::WriteTestFile((*dir_) / "app/hello.c",
                         "#include <stdio.h>\nint main(void) { puts(\"hello from static\"); return 0; }\n");
  auto cc = plinth::testing::Run({"gcc", "-static", "-O2", "-o", (*dir_) / "app/hello", (*dir_) / "app/hello.c"});
  ASSERT_EQ(cc.exit_code, 0) << cc.err;
  auto built = Build("static-debian12", "amd64");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto run = Podman({"--user", "65532", "-v", (*dir_) / "app" + ":/app:ro", Image("static-debian12:latest"), "/app/hello"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from static\n");
}

// Every regular file of every layer of `ref` for one platform: ELF machines seen.
std::map<unsigned, int> ElfMachines(const std::string& store_dir, const std::string& ref, const std::string& arch) {
  std::map<unsigned, int> seen;
  auto store = oci::LayoutStore::OpenExisting(store_dir);
  EXPECT_TRUE(store.ok());
  auto desc = store->Resolve(ref);
  EXPECT_TRUE(desc.ok());
  oci::Platform platform;
  platform.architecture = arch;
  if (arch == "arm64") platform.variant = "v8";
  auto manifest_desc = store->SelectPlatform(*desc, platform);
  EXPECT_TRUE(manifest_desc.ok()) << manifest_desc.error().ToString();
  auto manifest = store->ReadManifest(manifest_desc->digest);
  EXPECT_TRUE(manifest.ok());
  for (const auto& layer : manifest->layers) {
    struct archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    EXPECT_EQ(archive_read_open_filename(a, store->BlobPath(layer.digest).c_str(), 1 << 16), ARCHIVE_OK);
    struct archive_entry* e;
    char head[debian::kElfHeadSize];
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      if (archive_entry_filetype(e) != AE_IFREG || archive_entry_size(e) < (la_int64_t)sizeof head) continue;
      if (archive_read_data(a, head, sizeof head) != (la_ssize_t)sizeof head) continue;
      if (auto m = debian::ElfMachine(std::string_view(head, sizeof head))) seen[*m]++;
    }
    archive_read_free(a);
  }
  return seen;
}

TEST_F(BaseImagesTest, MultiArchIndexWithAarch64OnlyArm64Image) {
  auto built = RunPlinth({"--store", (*dir_) / "multi", "base", "build", Recipe("python3-debian12"), "--arch",
                          "amd64,arm64", "--lock", (*dir_) / "plinth.lock", "-t", "lucid/python:test"},
                         env_);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto arm = ElfMachines((*dir_) / "multi", "lucid/python:test", "arm64");
  EXPECT_GT(arm[183], 50);
  EXPECT_EQ(arm.size(), 1u) << "only aarch64 ELF files expected";
  auto amd = ElfMachines((*dir_) / "multi", "lucid/python:test", "amd64");
  EXPECT_GT(amd[62], 50);
  EXPECT_EQ(amd.size(), 1u);
  auto inspect = plinth::testing::Run({"skopeo", "inspect", "--raw", "oci:" + (*dir_) / "multi" + ":lucid/python:test"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("application/vnd.oci.image.index.v1+json"), std::string::npos);
  EXPECT_NE(inspect.out.find("\"architecture\":\"arm64\""), std::string::npos) << inspect.out;
}

TEST_F(BaseImagesTest, SameLockGivesSameDigests) {
  auto first = Build("base-debian12", "amd64", "repro-a", "repro.lock");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto second = Build("base-debian12", "amd64", "repro-b", "repro.lock");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(Tagged(first.out), Tagged(second.out));
  EXPECT_EQ(second.out.find("wrote "), std::string::npos) << second.out;
}

TEST_F(BaseImagesTest, WrongSha256InLockStopsBuildAndWritesNothing) {
  auto built = Build("static-debian12", "amd64", "store", "tamper.lock");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto lock = ReadFile((*dir_) / "tamper.lock");
  ASSERT_TRUE(lock.ok());
  std::string text = *lock;
  size_t line = text.find("\nnetbase ");
  ASSERT_NE(line, std::string::npos);
  size_t sha = text.find("sha256:", line) + 7;
  text.replace(sha, 64, std::string(64, 'f'));
  testing::WriteTestFile((*dir_) / "tamper.lock", text);
  auto again = RunPlinth({"--store", (*dir_) / "tampered-store", "base", "build", Recipe("static-debian12"), "--arch",
                          "amd64", "--lock", (*dir_) / "tamper.lock", "--cache", (*dir_) / "fresh-cache"},
                         env_);
  EXPECT_EQ(again.exit_code, 2) << again.out;
  EXPECT_NE(again.err.find("package netbase"), std::string::npos) << again.err;
  EXPECT_NE(again.err.find("sha256 mismatch"), std::string::npos) << again.err;
  auto index = ReadFile((*dir_) / "tampered-store/index.json");
  EXPECT_TRUE(!index.ok() || index->find("static-debian12") == std::string::npos);
}

// Tests that start from an empty cache of their own whatever $PLINTH_TEST_DEB_CACHE says (so
// scripts/test.sh's cold-cache pass, which selects BaseImagesTest, need not run them twice).
class EmptyCacheBaseBuildTest : public BaseImagesTest {};

// The issue's failure: on an empty cache, builds started together ran `apt-get update` into one
// lists folder at once ("Failed to stat .../lists/partial/...InRelease") or read it half-written
// ("no package 'base-files'"). Now the first fetches the index while the others wait, and all
// share it and the downloads.
TEST_F(EmptyCacheBaseBuildTest, ConcurrentBuildsOnOneEmptyCacheAllSucceedAndShareIt) {
  constexpr int kBuilds = 4;
  std::string cache = (*dir_) / "concurrent-cache";
  std::vector<SubprocessResult> results(kBuilds);
  std::vector<std::thread> builds;
  for (int i = 0; i < kBuilds; ++i) {
    builds.emplace_back([&, i] {
      std::string n = std::to_string(i);
      results[i] = RunPlinth(
          {"--store", (*dir_) / ("concurrent-" + n), "base", "build", Recipe("static-debian12"),
           "--arch", "amd64", "--lock", (*dir_) / ("concurrent-" + n + ".lock"), "--cache", cache},
          env_);
    });
  }
  for (auto& t : builds) t.join();
  for (int i = 0; i < kBuilds; ++i) {
    ASSERT_EQ(results[i].exit_code, 0) << "build " << i << ":\n" << results[i].err;
    // Each resolved against the one index the first fetched: the same packages, the same image.
    EXPECT_EQ(Tagged(results[i].out), Tagged(results[0].out));
    auto verify =
        RunPlinth({"--store", (*dir_) / ("concurrent-" + std::to_string(i)), "store", "verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }
  auto debs = debian::DebCache::Open(cache + "/debs");
  ASSERT_TRUE(debs.ok()) << debs.error().ToString();
  auto verified = debs->Verify();
  ASSERT_TRUE(verified.ok()) << verified.error().ToString();
  EXPECT_GE(*verified, 5u);  // base-files, netbase, tzdata, ca-certificates, media-types
}

// Relative --store (and so the default cache under it) from inside a fleet folder, on an empty
// cache: `apt-get download` runs in a download folder, where a relative path means nothing.
TEST_F(EmptyCacheBaseBuildTest, BuildsFromInsideAFleetFolderWithRelativePaths) {
  std::string fleet = (*dir_) / "fleet";
  testing::CopyExampleFleet("lucid", fleet);
  auto env = env_;
  env["PLINTH_DEBIAN_CACHE"] = "";  // the default: STORE/plinth/debian, relative here
  auto built = RunPlinth({"--store", ".plinth/store", "base", "build", "static-debian12", "--arch",
                          "amd64", "--lock", "relative.lock"},
                         env, fleet);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_TRUE(PathExists(fleet + "/.plinth/store/plinth/debian/debs/sha256"));
  auto verify = RunPlinth({"--store", ".plinth/store", "store", "verify"}, {}, fleet);
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// Bases are gzip by default, as distroless publishes: tools that do not read zstd layers
// (umoci 0.4.7, Docker Engine before 23) take them.
TEST_F(BaseImagesTest, DefaultBaseIsGzipAndUmociUnpacksIt) {
  auto built = Build("static-debian12", "amd64", "umoci-store", "umoci.lock");
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto inspect = plinth::testing::Run(
      {"skopeo", "inspect", "--raw", "oci:" + (*dir_) / "umoci-store" + ":static-debian12:latest"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("application/vnd.oci.image.layer.v1.tar+gzip"), std::string::npos)
      << inspect.out;
  auto unpack = plinth::testing::Run({"umoci", "unpack", "--image",
                                      (*dir_) / "umoci-store" + ":static-debian12:latest",
                                      (*dir_) / "umoci-bundle"});
  ASSERT_EQ(unpack.exit_code, 0) << unpack.err;
  auto os_release = ReadFile((*dir_) / "umoci-bundle/rootfs/usr/lib/os-release");
  ASSERT_TRUE(os_release.ok()) << os_release.error().ToString();
  EXPECT_NE(os_release->find("VERSION_CODENAME=bookworm"), std::string::npos);
  EXPECT_TRUE(PathExists((*dir_) / "umoci-bundle/rootfs/etc/ssl/certs/ca-certificates.crt"));
}

TEST_F(BaseImagesTest, RecipeCanAskForZstd) {
  auto recipe = ReadFile(Recipe("static-debian12"));
  ASSERT_TRUE(recipe.ok());
  testing::WriteTestFile((*dir_) / "zstd/static-zstd.yaml", *recipe + "compression: zstd\n");
  auto built =
      RunPlinth({"--store", (*dir_) / "zstd-store", "base", "build",
                 (*dir_) / "zstd/static-zstd.yaml", "--arch", "amd64", "-t", "static-zstd:latest"},
                env_);
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto inspect = plinth::testing::Run(
      {"skopeo", "inspect", "--raw", "oci:" + (*dir_) / "zstd-store" + ":static-zstd:latest"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("application/vnd.oci.image.layer.v1.tar+zstd"), std::string::npos)
      << inspect.out;
}

}  // namespace
}  // namespace plinth
