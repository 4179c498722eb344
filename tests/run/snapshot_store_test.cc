#include "run/snapshot_store.h"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "run/snapshot_test_support.h"
#include "run/upper_layer.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::run {
namespace {

using plinth::testing::ScratchDir;
using plinth::testing::WriteTestFile;
using testing::EnterPrivateMountNamespace;
using testing::ImageOf;
using testing::LayerFromTar;
using testing::LayerFromTree;
using testing::ListTree;
using testing::Shell;
using testing::StoredLayer;

constexpr int64_t kTimestamp = 1700000000;

std::string Xattr(const std::string& path, const char* name) {
  char value[16];
  ssize_t n = lgetxattr(path.c_str(), name, value, sizeof value);
  return n < 0 ? "" : std::string(value, static_cast<size_t>(n));
}

// A pid that no process has any more.
pid_t DeadPid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  int status = 0;
  waitpid(pid, &status, 0);
  return pid;
}

class SnapshotStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EnterPrivateMountNamespace();
    auto opened = oci::LayoutStore::Open(dir_ / "store");
    ASSERT_TRUE(opened) << opened.error().ToString();
    store_.emplace(std::move(*opened));
  }

  // Two layers: a base, and one that removes a file and replaces a folder's contents.
  std::vector<StoredLayer> TwoLayers() {
    std::string base = dir_ / "base";
    WriteTestFile(base + "/etc/hostname", "base\n");
    WriteTestFile(base + "/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
    WriteTestFile(base + "/opt/app/old.txt", "old\n");
    WriteTestFile(base + "/usr/bin/tool", "#!/bin/sh\n", 0755);
    Shell("cd '" + base +
          "' && chown 65532:65532 usr/bin/tool && chmod 4755 usr/bin/tool && "
          "ln -s ../etc/hostname usr/name && ln etc/passwd etc/passwd-");
    StoredLayer bottom = LayerFromTree(*store_, base, kTimestamp);
    // The second layer in OCI form: .wh.hostname, opt/app opaque with a new file.
    std::string top = dir_ / "top";
    WriteTestFile(top + "/etc/.wh.hostname", "");
    WriteTestFile(top + "/opt/app/.wh..wh..opq", "");
    WriteTestFile(top + "/opt/app/new.txt", "new\n");
    Shell("touch -h -d @1600000000 $(find '" + top + "')");
    return {bottom, LayerFromTree(*store_, top, kTimestamp)};
  }

  ScratchDir dir_;
  std::optional<oci::LayoutStore> store_;
};

TEST_F(SnapshotStoreTest, LowersUnpacksEachLayerOnceInOverlayFormat) {
  auto layers = TwoLayers();
  SnapshotStore snapshots(*store_);
  auto lowers = snapshots.Lowers(ImageOf(layers));
  ASSERT_TRUE(lowers) << lowers.error().ToString();
  ASSERT_EQ(lowers->size(), 2u);
  EXPECT_EQ((*lowers)[0], store_->dir() + "/plinth/snapshots/" + layers[0].diff_id.hex() + "/fs");
  EXPECT_EQ((*lowers)[1], store_->dir() + "/plinth/snapshots/" + layers[1].diff_id.hex() + "/fs");
  struct stat st;
  ASSERT_EQ(lstat((store_->dir() + "/plinth/snapshots").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);

  // The bottom layer as it is: owners, setuid bit, symlink, hard link.
  std::string bottom = (*lowers)[0];
  ASSERT_EQ(lstat((bottom + "/usr/bin/tool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  EXPECT_EQ(st.st_uid, 65532u);
  EXPECT_EQ(st.st_gid, 65532u);
  struct stat link;
  ASSERT_EQ(lstat((bottom + "/etc/passwd-").c_str(), &link), 0);
  ASSERT_EQ(lstat((bottom + "/etc/passwd").c_str(), &st), 0);
  EXPECT_EQ(link.st_ino, st.st_ino);
  EXPECT_EQ(std::filesystem::read_symlink(bottom + "/usr/name"), "../etc/hostname");

  // The top layer in overlay format: a 0:0 device for the whiteout, the opaque xattr.
  std::string top = (*lowers)[1];
  ASSERT_EQ(lstat((top + "/etc/hostname").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, makedev(0, 0));
  EXPECT_FALSE(PathExists(top + "/etc/.wh.hostname"));
  EXPECT_EQ(Xattr(top + "/opt/app", "trusted.overlay.opaque"), "y");
  EXPECT_FALSE(PathExists(top + "/opt/app/.wh..wh..opq"));
  EXPECT_TRUE(PathExists(top + "/opt/app/new.txt"));
  EXPECT_EQ(Xattr(top + "/opt", "trusted.overlay.opaque"), "");
  // Folders keep the layer's mtimes though their contents were written after them.
  ASSERT_EQ(lstat((top + "/opt/app").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1600000000);

  // Once: the second call finds the same folders and unpacks nothing.
  ASSERT_EQ(lstat(top.c_str(), &st), 0);
  auto again = SnapshotStore(*store_).Lowers(ImageOf(layers));
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(*again, *lowers);
  struct stat st2;
  ASSERT_EQ(lstat(top.c_str(), &st2), 0);
  EXPECT_EQ(st.st_ino, st2.st_ino);

  // Mounted as an overlay, the two give the image's files.
  auto step = snapshots.NewStep();
  ASSERT_TRUE(step) << step.error().ToString();
  testing::MountOverlay(*lowers, *step);
  EXPECT_FALSE(PathExists(step->rootfs + "/etc/hostname"));
  EXPECT_TRUE(PathExists(step->rootfs + "/etc/passwd"));
  EXPECT_FALSE(PathExists(step->rootfs + "/opt/app/old.txt"));
  EXPECT_TRUE(PathExists(step->rootfs + "/opt/app/new.txt"));
  testing::Unmount(step->rootfs);
  ASSERT_TRUE(snapshots.Release(*step));
  EXPECT_FALSE(PathExists(step->root));
}

TEST_F(SnapshotStoreTest, HostileLayersAreRefusedAndLeaveNothing) {
  SnapshotStore snapshots(*store_);
  // A member that climbs out of the root.
  std::string escape_dir = dir_ / "escape";
  WriteTestFile(escape_dir + "/inside/x", "");
  WriteTestFile(escape_dir + "/outside", "gotcha\n");
  Shell("cd '" + escape_dir + "/inside' && tar -cPf ../escape.tar ../outside");
  auto escape_tar = ReadFile(escape_dir + "/escape.tar");
  ASSERT_TRUE(escape_tar);
  // A device that is not a whiteout.
  std::string device_dir = dir_ / "device";
  ASSERT_TRUE(MakeDirs(device_dir + "/dev"));
  Shell("cd '" + device_dir + "' && mknod dev/null c 1 3 && tar -cf ../device.tar dev");
  auto device_tar = ReadFile(dir_ / "device.tar");
  ASSERT_TRUE(device_tar);

  for (const std::string* tar : {&*escape_tar, &*device_tar}) {
    StoredLayer hostile = LayerFromTar(*store_, *tar);
    auto lowers = snapshots.Lowers(ImageOf({hostile}));
    ASSERT_FALSE(lowers);
    EXPECT_EQ(lowers.error().kind(), ErrorKind::kInvalidInput) << lowers.error().ToString();
    EXPECT_FALSE(PathExists(store_->dir() + "/plinth/snapshots/" + hostile.diff_id.hex()));
  }
  EXPECT_FALSE(PathExists(store_->dir() + "/plinth/outside"));
  EXPECT_FALSE(PathExists(store_->dir() + "/plinth/snapshots/outside"));
  // No temp folder either.
  auto names = Shell("ls -A '" + store_->dir() + "/plinth/snapshots'");
  EXPECT_EQ(names, "");

  // A blob whose content is not its diff_id: an integrity error, nothing published.
  WriteTestFile(dir_ / "good/file", "good\n");
  Shell("cd '" + dir_.path() + "/good' && tar -cf ../good.tar file");
  auto good_tar = ReadFile(dir_ / "good.tar");
  ASSERT_TRUE(good_tar);
  StoredLayer real = LayerFromTar(*store_, *good_tar);
  real.diff_id = oci::Digest::Sha256Hex(std::string(64, 'a'));
  auto lying = snapshots.Lowers(ImageOf({real}));
  ASSERT_FALSE(lying);
  EXPECT_EQ(lying.error().kind(), ErrorKind::kIntegrity) << lying.error().ToString();
  EXPECT_FALSE(PathExists(store_->dir() + "/plinth/snapshots/" + real.diff_id.hex()));
}

TEST_F(SnapshotStoreTest, ConcurrentLowersOfOneImageBothSucceed) {
  auto layers = TwoLayers();
  oci::Image image = ImageOf(layers);
  // Two stores, as two processes would have: nothing shared but the folder.
  SnapshotStore a(*store_), b(*store_);
  Result<std::vector<std::string>> got_a = std::vector<std::string>{},
                                   got_b = std::vector<std::string>{};
  std::thread ta([&] { got_a = a.Lowers(image); });
  std::thread tb([&] { got_b = b.Lowers(image); });
  ta.join();
  tb.join();
  ASSERT_TRUE(got_a) << got_a.error().ToString();
  ASSERT_TRUE(got_b) << got_b.error().ToString();
  EXPECT_EQ(*got_a, *got_b);
  EXPECT_EQ(ListTree((*got_a)[0]).count("usr/bin/tool"), 1u);
  // Only the two snapshots: the loser's copy is gone.
  auto names = Shell("ls -A '" + store_->dir() + "/plinth/snapshots'");
  std::vector<std::string> expected = {layers[0].diff_id.hex(), layers[1].diff_id.hex()};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(names, expected[0] + "\n" + expected[1] + "\n");
}

TEST_F(SnapshotStoreTest, ConcurrentLowersFromTwoProcessesBothSucceed) {
  auto layers = TwoLayers();
  oci::Image image = ImageOf(layers);
  // Each child unpacks on its own (no lock shared with the other): whichever renames second
  // finds the snapshot there and drops its copy.
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto got = SnapshotStore(*store_).Lowers(image);
      _exit(got && got->size() == 2 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::vector<std::string> expected = {layers[0].diff_id.hex(), layers[1].diff_id.hex()};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(Shell("ls -A '" + store_->dir() + "/plinth/snapshots'"),
            expected[0] + "\n" + expected[1] + "\n");
  auto lowers = SnapshotStore(*store_).Lowers(image);
  ASSERT_TRUE(lowers);
  EXPECT_EQ(ListTree((*lowers)[1])["opt/app"].find("opaque=y") != std::string::npos, true);
}

TEST_F(SnapshotStoreTest, NewStepMakesFreshFoldersAndReleaseRemovesThem) {
  SnapshotStore snapshots(*store_);
  auto one = snapshots.NewStep();
  auto two = snapshots.NewStep();
  ASSERT_TRUE(one) << one.error().ToString();
  ASSERT_TRUE(two) << two.error().ToString();
  EXPECT_NE(one->root, two->root);
  EXPECT_TRUE(
      one->root.starts_with(store_->dir() + "/plinth/steps-run/" + std::to_string(getpid()) + "-"));
  for (const std::string& d : {one->upper, one->work, one->rootfs, one->bundle}) {
    EXPECT_TRUE(IsDirectory(d)) << d;
    EXPECT_EQ(Shell("ls -A '" + d + "'"), "") << d;
  }
  struct stat st;
  ASSERT_EQ(lstat(one->upper.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);  // the overlay's "/"
  ASSERT_EQ(lstat((store_->dir() + "/plinth/steps-run").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_TRUE(snapshots.Release(*one));
  EXPECT_FALSE(PathExists(one->root));
  EXPECT_TRUE(PathExists(two->root));
  // Only its own folders.
  StepDirs foreign = *two;
  foreign.root = dir_.path();
  EXPECT_FALSE(snapshots.Release(foreign));
  EXPECT_TRUE(IsDirectory(dir_.path()));
}

TEST_F(SnapshotStoreTest, RemoveStaleRemovesWhatDeadProcessesLeft) {
  SnapshotStore snapshots(*store_);
  auto mine = snapshots.NewStep();
  ASSERT_TRUE(mine) << mine.error().ToString();
  pid_t dead = DeadPid();
  std::string steps = store_->dir() + "/plinth/steps-run";
  std::string stale = steps + "/" + std::to_string(dead) + "-0";
  for (const char* sub : {"upper/etc", "work/work", "rootfs", "bundle"})
    ASSERT_TRUE(MakeDirs(stale + "/" + sub));
  WriteTestFile(stale + "/upper/etc/new", "x");
  Shell("chmod 000 '" + stale + "/work/work'");
  // A mount left in this namespace (a runner that did not use a namespace of its own).
  ASSERT_EQ(mount("tmpfs", (stale + "/rootfs").c_str(), "tmpfs", 0, "size=1m"), 0);
  ASSERT_TRUE(testing::IsMountPoint(stale + "/rootfs"));
  std::string snapshots_dir = store_->dir() + "/plinth/snapshots";
  std::string stale_temp = snapshots_dir + "/.tmp-" + std::to_string(dead) + "-3-abc";
  std::string live_temp = snapshots_dir + "/.tmp-" + std::to_string(getpid()) + "-99-abc";
  ASSERT_TRUE(MakeDirs(stale_temp + "/fs/usr"));
  ASSERT_TRUE(MakeDirs(live_temp + "/fs"));

  auto removed = snapshots.RemoveStale();
  ASSERT_TRUE(removed) << removed.error().ToString();
  EXPECT_EQ(*removed, 2);
  EXPECT_FALSE(PathExists(stale));
  EXPECT_FALSE(testing::IsMountPoint(stale + "/rootfs"));
  EXPECT_FALSE(PathExists(stale_temp));
  // A running process's folders stay.
  EXPECT_TRUE(IsDirectory(mine->upper));
  EXPECT_TRUE(IsDirectory(live_temp));
  auto none = snapshots.RemoveStale();
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
}

// A store named by a relative path: mountinfo names mounts by absolute paths.
TEST_F(SnapshotStoreTest, ReleaseDetachesMountsOfARelativeStore) {
  char* cwd = getcwd(nullptr, 0);
  ASSERT_NE(cwd, nullptr);
  std::string old_cwd(cwd);
  free(cwd);
  ASSERT_EQ(chdir(dir_.path().c_str()), 0);
  auto relative = oci::LayoutStore::Open("relative-store");
  ASSERT_TRUE(relative);
  SnapshotStore snapshots(*relative);
  auto step = snapshots.NewStep();
  ASSERT_TRUE(step) << step.error().ToString();
  EXPECT_EQ(step->root.rfind("relative-store/", 0), 0u) << step->root;
  ASSERT_EQ(mount("tmpfs", step->rootfs.c_str(), "tmpfs", 0, "size=1m"), 0);
  std::string absolute = dir_ / step->rootfs;
  ASSERT_TRUE(testing::IsMountPoint(absolute));
  Status released = snapshots.Release(*step);
  ASSERT_EQ(chdir(old_cwd.c_str()), 0);
  ASSERT_TRUE(released) << released.error().ToString();
  EXPECT_FALSE(testing::IsMountPoint(absolute));
  EXPECT_FALSE(PathExists(dir_ / step->root));
}

// The tree a step's upper becomes when adopted is the one unpacking its layer gives.
TEST_F(SnapshotStoreTest, AdoptedUpperEqualsTheUnpackedLayer) {
  auto layers = TwoLayers();
  SnapshotStore snapshots(*store_);
  auto lowers = snapshots.Lowers(ImageOf(layers));
  ASSERT_TRUE(lowers) << lowers.error().ToString();
  auto step = snapshots.NewStep();
  ASSERT_TRUE(step) << step.error().ToString();
  testing::MountOverlay(*lowers, *step);
  std::string root = step->rootfs;
  Shell("cd '" + root +
        "' && echo changed >> etc/passwd && rm usr/name && "
        "rm -rf opt/app && mkdir opt/app && echo fresh > opt/app/fresh.txt && "
        "mkdir -p srv/data && echo a > srv/data/a && ln srv/data/a srv/data/b && "
        "cp usr/bin/tool srv/tool && chown 65532:65532 srv/tool && chmod 4755 srv/tool && "
        "ln -s /etc/passwd srv/link && mkfifo srv/fifo && touch -h -d @1500000000 srv/data/a");
  testing::MakeSocket(root + "/srv/daemon.sock");
  testing::Unmount(root);

  // The step's changes as a layer, and the upper adopted as its snapshot (mtimes clamped to a
  // time before the run, so clamping is exercised).
  int64_t timestamp = time(nullptr) - 5;
  auto written = WriteUpperLayer(*store_, step->upper, layer::Compression::kGzip, timestamp);
  ASSERT_TRUE(written) << written.error().ToString();
  ASSERT_TRUE(snapshots.Adopt(*step, written->diff_id, timestamp));
  EXPECT_FALSE(PathExists(step->root));
  std::string adopted = store_->dir() + "/plinth/snapshots/" + written->diff_id.hex() + "/fs";
  ASSERT_TRUE(IsDirectory(adopted));

  // The same layer unpacked in another store.
  ScratchDir other_dir;
  auto other = oci::LayoutStore::Open(other_dir / "store");
  ASSERT_TRUE(other);
  Shell("mkdir -p '" + other->dir() + "/blobs/sha256' && cp '" +
        store_->BlobPath(written->descriptor.digest) + "' '" + other->dir() + "/blobs/sha256/'");
  auto unpacked = SnapshotStore(*other).Lowers(ImageOf({{written->descriptor, written->diff_id}}));
  ASSERT_TRUE(unpacked) << unpacked.error().ToString();

  auto adopted_tree = ListTree(adopted);
  auto unpacked_tree = ListTree((*unpacked)[0]);
  EXPECT_EQ(adopted_tree, unpacked_tree);
  // It holds what the step did.
  EXPECT_NE(adopted_tree["usr/name"].find("dev=0:0"), std::string::npos)
      << adopted_tree["usr/name"];
  EXPECT_NE(adopted_tree["opt/app"].find("opaque=y"), std::string::npos) << adopted_tree["opt/app"];
  EXPECT_NE(adopted_tree["srv/tool"].find("mode=104755 owner=65532:65532"), std::string::npos)
      << adopted_tree["srv/tool"];
  EXPECT_NE(adopted_tree["srv/data/b"].find("nlink=2"), std::string::npos);
  EXPECT_NE(adopted_tree["srv/data/a"].find("mtime=1500000000"), std::string::npos);
  EXPECT_EQ(adopted_tree.count("srv/daemon.sock"), 0u);
  EXPECT_NE(adopted_tree["srv/fifo"].find("mtime=" + std::to_string(timestamp)), std::string::npos);
  struct stat a, u;
  ASSERT_EQ(lstat(adopted.c_str(), &a), 0);
  ASSERT_EQ(lstat((*unpacked)[0].c_str(), &u), 0);
  EXPECT_EQ(a.st_mode, u.st_mode);
  EXPECT_EQ(a.st_mtim.tv_sec, u.st_mtim.tv_sec);

  // Adopting the same layer again drops the upper and keeps the snapshot.
  auto again = snapshots.NewStep();
  ASSERT_TRUE(again);
  WriteTestFile(again->upper + "/other", "y");
  ASSERT_TRUE(snapshots.Adopt(*again, written->diff_id, timestamp));
  EXPECT_FALSE(PathExists(again->root));
  EXPECT_EQ(ListTree(adopted), adopted_tree);
}

}  // namespace
}  // namespace plinth::run
