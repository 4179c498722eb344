// End to end: what reaches the store's shared caches is trusted no more than it was checked.
// A config that lies about its diff_ids cannot poison the unpacked-tree cache; copy and the
// oci-archive import hold the store's writer lock, so gc waits for them; unpacked trees are the
// owner's only and hold no runnable setuid files, while images keep their setuid bits; a layout's
// blobs are read as regular files no longer than their descriptors; a gzip bomb stops at the
// unpack limit; gc removes what killed runs left; reading a layout writes nothing to it. And
// nothing of this machine reaches an image: COPY and --chown resolve links inside the context or
// the image they read, never on the host.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "layer/decompressing_source.h"
#include "layer/tar_reader.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::RunPlinth;
using testing::ScratchDir;
using testing::WriteTestFile;

const oci::Platform kAmd64{.os = "linux", .architecture = "amd64"};

constexpr const char* kManifest = R"(version: 1
namespace: test
image: "{namespace}/{name}:latest"
platforms: [linux/amd64]
tiers:
  any: {}
groups:
  all: {phase: 0}
services:
)";

// A fleet in `dir` whose services are named Dockerfiles (each in its own folder).
void WriteFleet(const std::string& dir, const std::map<std::string, std::string>& services) {
  std::string manifest = kManifest;
  for (const auto& [name, dockerfile] : services) {
    manifest += "  " + name + ":\n    dockerfile: " + name + "/Dockerfile\n    tier: any\n"
                "    group: all\n";
    WriteTestFile(dir + "/" + name + "/Dockerfile", dockerfile);
  }
  WriteTestFile(dir + "/plinth.yaml", manifest);
}

struct Built {
  SubprocessResult run;
  std::string outcome, detail;
};

// `plinth build TARGET` in the fleet at `fleet`, with the store at `store`.
Built Build(const std::string& fleet, const std::string& store, const std::string& target,
            const std::map<std::string, std::string>& env = {}) {
  Built b;
  b.run = RunPlinth({"--store", store, "build", "--platform", "linux/amd64", "--pull", "never",
                     "--format", "json", target},
                    env, fleet);
  for (const auto& line : testing::JsonLines(b.run.out)) {
    if (line["event"] != "finish") continue;
    b.outcome = line.value("outcome", "");
    b.detail = line.value("detail", "");
  }
  return b;
}

// `plinth image build --add SRC:DEST -t TAG` into `store`.
void ImageBuild(const std::string& store, const std::string& add, const std::string& tag) {
  auto r = RunPlinth({"--store", store, "image", "build", "--platform", "linux/amd64", "--add",
                      add, "-t", tag});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

struct Member {
  std::string content;
  uint32_t mode = 0;
};

// The members of an image's top layer, by name.
std::map<std::string, Member> TopLayer(const std::string& store_dir, const std::string& name) {
  std::map<std::string, Member> out;
  auto store = oci::LayoutStore::OpenExisting(store_dir);
  EXPECT_TRUE(store) << store.error().ToString();
  if (!store) return out;
  auto image = oci::ReadImage(*store, name, kAmd64);
  EXPECT_TRUE(image) << image.error().ToString();
  if (!image || image->layers.empty()) return out;
  auto blob = store->OpenBlob(image->layers.back().digest);
  EXPECT_TRUE(blob);
  auto plain = layer::OpenDecompressed(*blob);
  EXPECT_TRUE(plain);
  layer::TarReader tar(**plain);
  for (;;) {
    auto next = tar.Next();
    EXPECT_TRUE(next) << next.error().ToString();
    if (!next || !*next) break;
    Member m{.mode = (*next)->mode};
    char buf[4096];
    for (;;) {
      auto n = tar.Read(buf, sizeof buf);
      if (!n || *n == 0) break;
      m.content.append(buf, *n);
    }
    out[(*next)->name] = m;
  }
  return out;
}

// Starts plinth with `args` without waiting for it; its output goes to `log`.
pid_t StartPlinth(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv{testing::PlinthBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    // Nothing else of the test's: a copy of the FIFO's write end kept open in a gc waiting for
    // the copy's lock would keep the copy from ever seeing the end of its archive.
    close_range(3, ~0U, 0);
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    execv(raw[0], raw.data());
    _exit(127);
  }
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Every path under `dir`, for showing that something wrote nothing there.
std::string Listing(const std::string& dir) {
  std::string out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out += e.path().string() + "\n";
  return out;
}

TEST(StoreTrustTest, AConfigThatLiesAboutItsDiffIdsCannotPoisonTheUnpackedTrees) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "good/file", "good\n");
  WriteTestFile(dir / "evil/file", "evil\n");
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "good:/app", "legit:1"));
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "evil:/app", "evilsrc:1"));
  {
    // The liar: evil's layer under a config naming the legitimate image's diff_ids.
    auto s = oci::LayoutStore::OpenExisting(store);
    ASSERT_TRUE(s);
    auto legit = oci::ReadImage(*s, "legit:1", kAmd64);
    auto evil = oci::ReadImage(*s, "evilsrc:1", kAmd64);
    ASSERT_TRUE(legit && evil);
    oci::Image liar = *evil;
    liar.config.diff_ids = legit->config.diff_ids;
    auto written = oci::WriteImage(*s, liar);
    ASSERT_TRUE(written) << written.error().ToString();
    ASSERT_TRUE(s->Tag("liar:1", *written));
    ASSERT_TRUE(s->Untag("evilsrc:1"));
  }
  WriteFleet(dir / "fleet", {{"from-liar", "FROM scratch\nCOPY --from=liar:1 /app/file /x\n"},
                             {"from-legit", "FROM scratch\nCOPY --from=legit:1 /app/file /x\n"}});
  Built liar = Build(dir / "fleet", store, "from-liar");
  EXPECT_EQ(liar.outcome, "failed") << liar.run.out << liar.run.err;
  EXPECT_NE(liar.detail.find("diff_id"), std::string::npos) << liar.detail;

  Built legit = Build(dir / "fleet", store, "from-legit");
  ASSERT_EQ(legit.outcome, "built") << legit.run.out << legit.run.err;
  EXPECT_EQ(TopLayer(store, "test/from-legit:latest")["x"].content, "good\n");

  auto verify = RunPlinth({"--store", store, "store", "verify"});
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("liar:1: layer sha256:"), std::string::npos) << verify.out;
  EXPECT_NE(verify.out.find("names diff_id " + (*oci::ReadImage(*oci::LayoutStore::OpenExisting(store),
                                                                "legit:1", kAmd64))
                                                    .config.diff_ids[0].str()),
            std::string::npos)
      << verify.out;
  EXPECT_EQ(verify.out.find("legit:1:"), std::string::npos) << verify.out;
}

TEST(StoreTrustTest, CopyIntoTheStoreHoldsTheWriterLockThatGcTakesExclusively) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "tree/file", std::string(1 << 20, 'x'));
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "tree:/app", "app:1"));
  auto exported = RunPlinth({"--store", store, "copy", "store:app:1", "oci-archive:" + dir / "app.tar"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;

  // The import reads its archive from a pipe: while it waits for the rest, it is mid-copy.
  std::string other = dir / "other";
  ASSERT_TRUE(oci::LayoutStore::Open(other));
  ASSERT_EQ(mkfifo((dir / "pipe").c_str(), 0600), 0);
  pid_t copy = StartPlinth({"--store", other, "copy", "oci-archive:" + dir / "pipe", "store:copied:1"},
                           dir / "copy.log");
  int pipe = open((dir / "pipe").c_str(), O_WRONLY | O_CLOEXEC);  // returns once the copy has opened it
  ASSERT_GE(pipe, 0);
  int gc_lock = open((other + "/plinth/gc.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(gc_lock, 0);
  int locked = flock(gc_lock, LOCK_EX | LOCK_NB);
  int err = errno;
  EXPECT_NE(locked, 0) << "gc could start while the copy writes";
  EXPECT_EQ(err, EWOULDBLOCK);
  close(gc_lock);
  pid_t gc = StartPlinth({"--store", other, "store", "gc"}, dir / "gc.log");
  std::string archive = *ReadFile(dir / "app.tar");
  for (size_t at = 0; at < archive.size();) {
    ssize_t n = write(pipe, archive.data() + at, archive.size() - at);
    ASSERT_GT(n, 0);
    at += static_cast<size_t>(n);
  }
  close(pipe);
  EXPECT_EQ(Wait(copy), 0) << *ReadFile(dir / "copy.log");
  EXPECT_EQ(Wait(gc), 0) << *ReadFile(dir / "gc.log");
  auto verify = RunPlinth({"--store", other, "store", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_EQ(RunPlinth({"--store", other, "image", "inspect", "copied:1"}).exit_code, 0);

  // From a layout folder, many times over, with gc running beside each copy.
  auto layout = RunPlinth({"--store", store, "copy", "store:app:1", "oci:" + dir / "layout:app"});
  ASSERT_EQ(layout.exit_code, 0) << layout.err;
  for (int i = 0; i < 10; ++i) {
    std::string name = "race:" + std::to_string(i);
    pid_t c = StartPlinth({"--store", dir / ("race" + std::to_string(i)), "copy",
                           "oci:" + dir / "layout:app", "store:" + name},
                          dir / "c.log");
    pid_t g = StartPlinth({"--store", dir / ("race" + std::to_string(i)), "store", "gc"},
                          dir / "g.log");
    EXPECT_EQ(Wait(c), 0) << *ReadFile(dir / "c.log");
    Wait(g);  // it may find no store yet
    auto v = RunPlinth({"--store", dir / ("race" + std::to_string(i)), "store", "verify"});
    EXPECT_EQ(v.exit_code, 0) << name << ": " << v.out;
  }
}

TEST(StoreTrustTest, CopyNeverReadsThisMachinesFilesThroughALinkInTheContext) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "host/secret", "this machine's secret\n");
  WriteFleet(dir / "fleet", {{"abs", "FROM scratch\nCOPY cfg/secret /x\n"},
                             {"named", "FROM scratch\nCOPY cfg /x/\n"},
                             {"up", "FROM scratch\nCOPY up/secret /x\n"}});
  for (const char* service : {"abs", "named"})
    ASSERT_EQ(symlink((dir / "host").c_str(), (dir / "fleet/" + service + "/cfg").c_str()), 0);
  // Out of the context by `..`: inside it, that is the context's own folder.
  WriteTestFile(dir / "fleet/up/host/secret", "the context's own\n");
  ASSERT_EQ(symlink("../../../host", (dir / "fleet/up/up").c_str()), 0);

  for (const char* service : {"abs", "named"}) {
    Built b = Build(dir / "fleet", store, service);
    EXPECT_EQ(b.outcome, "failed") << service << ": " << b.run.out << b.run.err;
    EXPECT_NE(b.run.out.find("does not exist"), std::string::npos) << b.run.out;
    EXPECT_EQ(b.run.out.find("this machine's secret"), std::string::npos);
  }
  Built up = Build(dir / "fleet", store, "up");
  ASSERT_EQ(up.outcome, "built") << up.run.out << up.run.err;
  EXPECT_EQ(TopLayer(store, "test/up:latest")["x"].content, "the context's own\n");
}

TEST(StoreTrustTest, CopyFromAnImageResolvesItsLinksInsideTheImage) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "host/secret", "this machine's secret\n");
  // An image whose /etc2 is a link to /etc, and whose /far links to this machine's folder by
  // its full path; its /etc/passwd names the user --chown asks for.
  WriteTestFile(dir / "tree/etc/secret", "the image's own\n");
  WriteTestFile(dir / "tree/etc/passwd", "app:x:4242:4343::/:/sbin/nologin\n");
  ASSERT_EQ(symlink("/etc", (dir / "tree/etc2").c_str()), 0);
  ASSERT_EQ(symlink((dir / "host").c_str(), (dir / "tree/far").c_str()), 0);
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "tree:/", "linked:1"));
  WriteFleet(dir / "fleet",
             {{"inside", "FROM scratch\nCOPY --from=linked:1 /etc2/secret /x\n"},
              {"outside", "FROM scratch\nCOPY --from=linked:1 /far/secret /x\n"},
              {"owner", "FROM linked:1\nCOPY --chown=app a /a\n"}});
  WriteTestFile(dir / "fleet/owner/a", "a\n");

  Built inside = Build(dir / "fleet", store, "inside");
  ASSERT_EQ(inside.outcome, "built") << inside.run.out << inside.run.err;
  EXPECT_EQ(TopLayer(store, "test/inside:latest")["x"].content, "the image's own\n");
  Built outside = Build(dir / "fleet", store, "outside");
  EXPECT_EQ(outside.outcome, "failed") << outside.run.out << outside.run.err;
  EXPECT_EQ(outside.run.out.find("this machine's secret"), std::string::npos);
  Built owner = Build(dir / "fleet", store, "owner");
  ASSERT_EQ(owner.outcome, "built") << owner.run.out << owner.run.err;
}

TEST(StoreTrustTest, ChownReadsTheImagesPasswdEvenWhenItsEtcIsALinkOut) {
  ScratchDir dir;
  std::string store = dir / "store";
  // The image's /etc is a link to this machine's /etc by full path: inside the image there is
  // no /etc/passwd, so a name only this machine's passwd has ("root") must not resolve.
  WriteTestFile(dir / "tree/hostetc/passwd", "nobody-here:x:1:1::/:/x\n");
  ASSERT_EQ(symlink("/etc", (dir / "tree/etc").c_str()), 0);
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "tree:/", "etclink:1"));
  WriteFleet(dir / "fleet", {{"chown", "FROM etclink:1\nCOPY --chown=root a /a\n"}});
  WriteTestFile(dir / "fleet/chown/a", "a\n");
  Built b = Build(dir / "fleet", store, "chown");
  EXPECT_EQ(b.outcome, "failed") << b.run.out << b.run.err;
  EXPECT_NE(b.run.out.find("is not in the image's /etc/passwd"), std::string::npos) << b.run.out;
}

TEST(StoreTrustTest, UnpackedTreesKeepNoSetuidBitsWhileImagesDo) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "base/su", "su\n", 04755);
  WriteTestFile(dir / "base/wall", "wall\n", 02755);
  WriteTestFile(dir / "base/ls", "ls\n", 0755);
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "base:/bin", "suidbase:1"));
  WriteFleet(dir / "fleet", {{"copier", "FROM scratch\nCOPY --from=suidbase:1 /bin/su /su\n"
                                        "COPY --from=suidbase:1 /bin/ /b/\n"}});
  Built b = Build(dir / "fleet", store, "copier");
  ASSERT_EQ(b.outcome, "built") << b.run.out << b.run.err;

  // The image carries the bits, as the base's layer did.
  auto top = TopLayer(store, "test/copier:latest");
  EXPECT_EQ(top["b/su"].mode & 07777, 04755u);
  EXPECT_EQ(top["b/wall"].mode & 07777, 02755u);
  EXPECT_EQ(top["b/ls"].mode & 07777, 0755u);
  // On disk no one else reaches the trees, and nothing in them runs setuid.
  struct stat st{};
  ASSERT_EQ(stat((store + "/plinth/rootfs").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(store + "/plinth/rootfs")) {
    if (!e.is_regular_file() || e.path().filename() == "setid-modes") continue;
    ++files;
    ASSERT_EQ(lstat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & (S_ISUID | S_ISGID), 0u) << e.path();
  }
  EXPECT_GT(files, 0);
}

TEST(StoreTrustTest, ALayoutBlobIsReadAsARegularFileNoLongerThanItsDescriptor) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "tree/file", "content\n");
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "tree:/app", "app:1"));
  auto layout = RunPlinth({"--store", store, "copy", "store:app:1", "oci:" + dir / "layout:app"});
  ASSERT_EQ(layout.exit_code, 0) << layout.err;
  auto image = oci::ReadImage(*oci::LayoutStore::OpenExisting(store), "app:1", kAmd64);
  ASSERT_TRUE(image);
  std::string blob = dir / ("layout/blobs/sha256/" + image->layers[0].digest.hex());
  // The file size limit makes the copy die rather than fill the disk if it reads on.
  auto copy = [&](const std::string& into) {
    return testing::Run({"sh", "-c", "ulimit -f 20480; exec \"$0\" \"$@\"", testing::PlinthBinary(),
                         "--store", into, "copy", "oci:" + dir / "layout:app", "store:x"});
  };
  struct Case {
    std::string name;
    std::function<void()> make;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"symlink to /dev/zero", [&] { fs::remove(blob); fs::create_symlink("/dev/zero", blob); },
       "symlink"},
      {"a FIFO", [&] { fs::remove(blob); ASSERT_EQ(mkfifo(blob.c_str(), 0644), 0); },
       "not a regular file"},
      {"a longer file", [&] { fs::remove(blob); WriteTestFile(blob, std::string(30 << 20, 'z')); },
       "its descriptor says"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    cases[i].make();
    std::string into = dir / ("into" + std::to_string(i));
    auto r = copy(into);
    EXPECT_EQ(r.exit_code, 2) << cases[i].name << ": " << r.err;
    EXPECT_NE(r.err.find(cases[i].expected), std::string::npos) << cases[i].name << ": " << r.err;
    EXPECT_EQ(Names(into + "/plinth/tmp"), std::vector<std::string>{}) << cases[i].name;
    auto s = oci::LayoutStore::OpenExisting(into);
    if (s) EXPECT_FALSE(s->Resolve("x")) << cases[i].name;
  }
}

TEST(StoreTrustTest, AGzipBombLayerStopsAtTheUnpackLimitNamingTheLayer) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "bomb/zeros", std::string(16 << 20, '\0'));
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "bomb:/data", "bomb:1"));
  auto image = oci::ReadImage(*oci::LayoutStore::OpenExisting(store), "bomb:1", kAmd64);
  ASSERT_TRUE(image);
  ASSERT_LT(image->layers[0].size, 1 << 20);
  WriteFleet(dir / "fleet", {{"user", "FROM scratch\nCOPY --from=bomb:1 /data/zeros /z\n"}});
  // The limit is the larger of ratio × compressed size and the floor: a ratio of 1 leaves the
  // floor in force, whatever size the compressor made of the zeros.
  Built limited = Build(dir / "fleet", store, "user",
                        {{"PLINTH_LAYER_UNPACK_MIN_BYTES", "1048576"}, {"PLINTH_LAYER_UNPACK_RATIO", "1"}});
  EXPECT_EQ(limited.outcome, "failed") << limited.run.out << limited.run.err;
  EXPECT_NE(limited.detail.find("unpacking layer " + image->layers[0].digest.str()), std::string::npos)
      << limited.detail;
  EXPECT_NE(limited.detail.find("unpacks to more than 1048576 bytes"), std::string::npos)
      << limited.detail;
  EXPECT_EQ(Names(store + "/plinth/rootfs"), std::vector<std::string>{}) << "a half-made tree was left";
  // Under the default limit (1 GiB at least) the same layer is fine.
  Built fine = Build(dir / "fleet", store, "user");
  EXPECT_EQ(fine.outcome, "built") << fine.run.out << fine.run.err;
}

TEST(StoreTrustTest, GcRemovesWhatKilledRunsLeftAndTreesOfImagesNoLongerInTheStore) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "kept/file", "kept\n");
  WriteTestFile(dir / "gone/file", "gone\n");
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "kept:/app", "kept:1"));
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "gone:/app", "gone:1"));
  WriteFleet(dir / "fleet", {{"uses", "FROM scratch\nCOPY --from=kept:1 /app/file /k\n"
                                      "COPY --from=gone:1 /app/file /g\n"}});
  Built b = Build(dir / "fleet", store, "uses");
  ASSERT_EQ(b.outcome, "built") << b.run.out << b.run.err;
  std::vector<std::string> trees = Names(store + "/plinth/rootfs");
  ASSERT_GE(trees.size(), 2u);  // kept's, gone's, and the stage's own after its first COPY
  {
    auto s = oci::LayoutStore::OpenExisting(store);
    ASSERT_TRUE(s && s->Untag("gone:1"));
  }

  // What killed runs leave: a half-made tree, a temp blob, an index.json temp file, temp folders
  // in $TMPDIR, and a working container and a stage image in plinth's containers storage.
  std::string half_made = store + "/plinth/rootfs/" + std::string(64, 'a') + ".tmp.4194999";
  WriteTestFile(half_made + "/tree/etc/passwd", "x");
  WriteTestFile(store + "/plinth/tmp/blob.tmp.Ab12Cd", "partial");
  WriteTestFile(store + "/index.json.tmp.Xy34Zw", "{");
  std::string tmp = dir / "tmp";
  WriteTestFile(tmp + "/plinth-base.k1Ll3d/rootfs/file", "x");
  WriteTestFile(tmp + "/plinth-buildah.k1Ll3d/Dockerfile", "x");
  WriteTestFile(tmp + "/plinth-test.notours123/file", "x");
  std::string held_path;
  {
    std::string old = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "";
    setenv("TMPDIR", tmp.c_str(), 1);
    auto held = TempDir::Create("plinth-buildah");
    if (old.empty()) unsetenv("TMPDIR");
    else setenv("TMPDIR", old.c_str(), 1);
    ASSERT_TRUE(held);
    held_path = held->path();
    auto containers = testing::ContainersEnv(store + "/plinth/containers");
    auto from = testing::Run({"buildah", "from", "--name", "killed-stage", "scratch"}, containers);
    ASSERT_EQ(from.exit_code, 0) << from.err;
    auto commit = testing::Run({"buildah", "commit", "--quiet", "killed-stage",
                                "localhost/plinth-stage-killed"}, containers);
    ASSERT_EQ(commit.exit_code, 0) << commit.err;
    auto from2 = testing::Run({"buildah", "from", "--name", "killed-again", "scratch"}, containers);
    ASSERT_EQ(from2.exit_code, 0) << from2.err;

    std::string before = Listing(store) + Listing(tmp);
    auto dry = RunPlinth({"--store", store, "store", "gc", "--dry-run"}, {{"TMPDIR", tmp}});
    EXPECT_EQ(dry.exit_code, 0) << dry.err;
    EXPECT_NE(dry.out.find("; 1 unpacked trees of images no longer in the store; 0 layer snapshots "
                           "no image uses; 0 RUN step cache records whose layer is gone; 8 "
                           "leftovers"),
              std::string::npos)
        << dry.out;
    EXPECT_EQ(Listing(store) + Listing(tmp), before);

    auto gc = RunPlinth({"--store", store, "store", "gc"}, {{"TMPDIR", tmp}});
    EXPECT_EQ(gc.exit_code, 0) << gc.err;
    EXPECT_FALSE(fs::exists(half_made));
    EXPECT_EQ(Names(store + "/plinth/tmp"), std::vector<std::string>{});
    EXPECT_FALSE(fs::exists(store + "/index.json.tmp.Xy34Zw"));
    EXPECT_FALSE(fs::exists(tmp + "/plinth-base.k1Ll3d"));
    EXPECT_FALSE(fs::exists(tmp + "/plinth-buildah.k1Ll3d"));
    EXPECT_TRUE(fs::exists(held_path)) << "a live process's temp folder was removed";
    EXPECT_TRUE(fs::exists(tmp + "/plinth-test.notours123"));
    auto left = testing::Run({"buildah", "containers", "--all", "--quiet"}, containers);
    EXPECT_EQ(left.out, "");
    auto images = testing::Run({"buildah", "images", "--quiet"}, containers);
    EXPECT_EQ(images.out, "");
  }
  EXPECT_EQ(Names(store + "/plinth/rootfs").size(), trees.size() - 1) << "gone's tree, only";
  EXPECT_EQ(RunPlinth({"--store", store, "store", "verify"}).exit_code, 0);
}

TEST(StoreTrustTest, CopyingFromALayoutWritesNothingToIt) {
  ScratchDir dir;
  std::string store = dir / "store";
  WriteTestFile(dir / "tree/file", "content\n");
  ASSERT_NO_FATAL_FAILURE(ImageBuild(store, dir / "tree:/app", "app:1"));
  auto made = RunPlinth({"--store", store, "copy", "store:app:1", "oci:" + dir / "layout:app"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  fs::remove_all(dir / "layout/plinth");  // as skopeo or umoci would have left it
  std::string before = Listing(dir / "layout");

  auto as_root = RunPlinth({"--store", dir / "store2", "copy", "oci:" + dir / "layout:app", "store:a:1"});
  EXPECT_EQ(as_root.exit_code, 0) << as_root.err;
  EXPECT_EQ(Listing(dir / "layout"), before);

  // Read-only for the user who copies: root owns the layout, nobody (65534) copies from it.
  chmod(dir.path().c_str(), 0755);
  fs::create_directories(dir / "nobody-store");
  chmod((dir / "nobody-store").c_str(), 0777);
  auto as_nobody = testing::Run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                 testing::PlinthBinary(), "--store", dir / "nobody-store", "copy",
                                 "oci:" + dir / "layout:app", "store:a:1"});
  EXPECT_EQ(as_nobody.exit_code, 0) << as_nobody.err;
  EXPECT_EQ(Listing(dir / "layout"), before);
  EXPECT_EQ(RunPlinth({"--store", dir / "nobody-store", "store", "verify"}).exit_code, 0);
}

}  // namespace
}  // namespace plinth
