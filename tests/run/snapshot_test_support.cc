#include "run/snapshot_test_support.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "layer/layer_builder.h"
#include "layer/tar_writer.h"
#include "oci/media_types.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::run::testing {

void EnterPrivateMountNamespace() {
  static bool entered = false;
  if (entered) return;
  ASSERT_EQ(unshare(CLONE_NEWNS), 0) << "unshare: " << strerror(errno);
  ASSERT_EQ(mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr), 0) << strerror(errno);
  entered = true;
}

void MountOverlay(const std::vector<std::string>& lowers, const StepDirs& dirs) {
  std::string lowerdir;
  for (auto it = lowers.rbegin(); it != lowers.rend(); ++it)
    lowerdir += (lowerdir.empty() ? "" : ":") + *it;
  std::string options = "lowerdir=" + lowerdir + ",upperdir=" + dirs.upper +
                        ",workdir=" + dirs.work +
                        ",index=off,metacopy=off,redirect_dir=off,xino=off";
  ASSERT_EQ(mount("overlay", dirs.rootfs.c_str(), "overlay", 0, options.c_str()), 0)
      << "mounting " << options << ": " << strerror(errno);
}

void Unmount(const std::string& path) {
  ASSERT_EQ(umount2(path.c_str(), 0), 0) << "unmounting " << path << ": " << strerror(errno);
}

bool IsMountPoint(const std::string& path) {
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line))
    if (line.find(" " + path + " ") != std::string::npos) return true;
  return false;
}

void MakeSocket(const std::string& path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << strerror(errno);
  close(fd);
}

std::string Shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (!pipe) return "";
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  int rc = pclose(pipe);
  EXPECT_EQ(rc, 0) << command << "\n" << out;
  return out;
}

namespace {

// Every path below `root`, sorted (the builder sorts them again).
void Collect(const std::string& root, const std::string& rel, std::vector<std::string>& out) {
  for (const auto& entry :
       std::filesystem::directory_iterator(rel.empty() ? root : root + "/" + rel)) {
    std::string name = entry.path().filename().string();
    std::string child = rel.empty() ? name : rel + "/" + name;
    out.push_back(child);
    if (entry.is_directory() && !entry.is_symlink()) Collect(root, child, out);
  }
}

// Sorted as the layer's members are: the first name of a hard-linked file is its file member.
std::vector<std::string> SortedPaths(const std::string& root) {
  std::vector<std::string> paths;
  Collect(root, "", paths);
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace

StoredLayer LayerFromTree(const oci::LayoutStore& store, const std::string& dir,
                          int64_t timestamp) {
  layer::LayerBuilder builder(layer::LayerOptions{.timestamp = timestamp});
  std::vector<std::string> paths = SortedPaths(dir);
  std::map<std::pair<dev_t, ino_t>, std::string> first;
  for (const std::string& rel : paths) {
    std::string path = dir + "/" + rel;
    struct stat st;
    auto entry = layer::EntryFromDisk(path, rel, &st);
    EXPECT_TRUE(entry) << entry.error().ToString();
    if (!entry) continue;
    entry->uid = st.st_uid;
    entry->gid = st.st_gid;
    layer::ContentOpener opener;
    if (entry->type == layer::EntryType::kRegular) {
      if (st.st_nlink > 1) {
        auto [it, inserted] = first.emplace(std::make_pair(st.st_dev, st.st_ino), rel);
        if (!inserted) {
          entry->type = layer::EntryType::kHardLink;
          entry->size = 0;
          entry->link_target = it->second;
        }
      }
      if (entry->type == layer::EntryType::kRegular)
        opener = [path]() -> Result<std::unique_ptr<ByteSource>> {
          PLINTH_TRY(FileSource f, FileSource::Open(path));
          return std::unique_ptr<ByteSource>(std::make_unique<FileSource>(std::move(f)));
        };
    }
    Status added = builder.AddEntry(std::move(*entry), std::move(opener));
    EXPECT_TRUE(added) << added.error().ToString();
  }
  auto blob = store.NewBlob();
  EXPECT_TRUE(blob);
  auto info = builder.Build(*blob);
  EXPECT_TRUE(info) << info.error().ToString();
  auto descriptor = blob->Commit(info->media_type, info->digest);
  EXPECT_TRUE(descriptor);
  return {*descriptor, info->diff_id};
}

StoredLayer LayerFromTar(const oci::LayoutStore& store, const std::string& bytes) {
  auto descriptor = store.PutBlob(bytes, std::string(oci::kOciLayerTar));
  EXPECT_TRUE(descriptor) << descriptor.error().ToString();
  return {*descriptor, descriptor->digest};
}

oci::Image ImageOf(const std::vector<StoredLayer>& layers) {
  oci::Image image;
  image.config.platform.os = "linux";
  image.config.platform.architecture = "amd64";
  for (const auto& l : layers) {
    image.layers.push_back(l.descriptor);
    image.config.diff_ids.push_back(l.diff_id);
  }
  return image;
}

TreeListing ListTree(const std::string& root, bool with_dir_mtimes, bool with_mtimes) {
  TreeListing listing;
  std::vector<std::string> paths;
  Collect(root, "", paths);
  for (const std::string& rel : paths) {
    std::string path = root + "/" + rel;
    struct stat st;
    EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
    char mode[16];
    snprintf(mode, sizeof mode, "%06o", st.st_mode);
    std::string d = std::string("mode=") + mode + " owner=" + std::to_string(st.st_uid) + ":" +
                    std::to_string(st.st_gid);
    if (with_mtimes && (with_dir_mtimes || !S_ISDIR(st.st_mode)))
      d += " mtime=" + std::to_string(st.st_mtim.tv_sec);
    if (S_ISREG(st.st_mode)) {
      auto content = ReadFile(path);
      EXPECT_TRUE(content) << path;
      d += " size=" + std::to_string(st.st_size) + " nlink=" + std::to_string(st.st_nlink) +
           " sha256=" + (content ? Sha256::HexOf(*content) : std::string("?"));
    } else if (S_ISLNK(st.st_mode)) {
      d += " -> " + std::filesystem::read_symlink(path).string();
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      d += " dev=" + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
    }
    char opaque[8];
    ssize_t n = lgetxattr(path.c_str(), "trusted.overlay.opaque", opaque, sizeof opaque);
    if (n > 0) d += " opaque=" + std::string(opaque, static_cast<size_t>(n));
    listing[rel] = d;
  }
  return listing;
}

}  // namespace plinth::run::testing
