#include "layer/layer_builder.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "layer/layer_stream.h"
#include "layer/tar_writer.h"
#include "util/safe_path.h"

namespace plinth::layer {
namespace {

// A layer path ("/usr/bin/", "./x") as a member name ("usr/bin", "x"); "." for the root.
Result<std::string> MemberName(const std::string& dest) {
  auto rel = RelativeInsideRoot(dest);
  if (!rel) return rel.error().Context("destination '" + dest + "'");
  return rel;
}

std::string JoinName(const std::string& dir, const std::string& name) {
  return dir == "." ? name : dir + "/" + name;
}

std::string BaseName(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

}  // namespace

TarEntry LayerBuilder::Generated(const std::string& name, EntryType type, uint32_t mode) const {
  TarEntry e;
  e.name = name;
  e.type = type;
  e.mode = mode;
  e.mtime = options_.timestamp;
  return e;
}

Status LayerBuilder::Put(Item item) {
  NormalizeEntry(item.entry, options_);
  const std::string name = item.entry.name;
  if (item.entry.type != EntryType::kDirectory) {
    // A non-directory replaces a directory of the same name, and so its contents.
    auto it = entries_.lower_bound(name + "/");
    while (it != entries_.end() && it->first.compare(0, name.size() + 1, name + "/") == 0)
      it = entries_.erase(it);
  }
  entries_[name] = std::move(item);
  return Ok{};
}

Status LayerBuilder::AddParents(const std::string& name) {
  for (size_t slash = name.find('/'); slash != std::string::npos;
       slash = name.find('/', slash + 1)) {
    std::string parent = name.substr(0, slash);
    auto it = entries_.find(parent);
    if (it == entries_.end()) {
      PLINTH_CHECK(Put(Item{Generated(parent, EntryType::kDirectory, 0755)}));
    } else if (it->second.entry.type != EntryType::kDirectory) {
      return InvalidInput("cannot add '" + name + "': '" + parent +
                          "' is already in the layer as a " + EntryTypeName(it->second.entry.type));
    }
  }
  return Ok{};
}

Status LayerBuilder::AddDiskPath(const std::string& disk_path, const std::string& name) {
  struct stat st;
  PLINTH_TRY(TarEntry entry, EntryFromDisk(disk_path, name, &st));
  entry.uid = 0;
  entry.gid = 0;
  Item item{std::move(entry)};
  if (item.entry.type == EntryType::kRegular) {
    // Content is read only when the layer is written; refuse an unreadable file now, before
    // anything has been written anywhere.
    if (access(disk_path.c_str(), R_OK) != 0) return ErrnoError("reading " + disk_path, errno);
    item.disk_path = disk_path;
    item.dev = st.st_dev;
    item.ino = st.st_ino;
    item.multi_link = st.st_nlink > 1;
  }
  return Put(std::move(item));
}

Status LayerBuilder::AddTree(const std::string& disk_dir, const std::string& name) {
  DIR* dir = opendir(disk_dir.c_str());
  if (!dir) return ErrnoError("listing " + disk_dir, errno);
  std::vector<std::string> children;
  errno = 0;
  while (dirent* d = readdir(dir)) {
    std::string child = d->d_name;
    if (child != "." && child != "..") children.push_back(std::move(child));
  }
  int err = errno;
  closedir(dir);
  if (err) return ErrnoError("listing " + disk_dir, err);
  std::sort(children.begin(), children.end());
  for (const std::string& child : children) {
    std::string disk_path = disk_dir + "/" + child;
    std::string child_name = JoinName(name, child);
    PLINTH_CHECK(AddDiskPath(disk_path, child_name));
    if (entries_[child_name].entry.type == EntryType::kDirectory)
      PLINTH_CHECK(AddTree(disk_path, child_name));
  }
  return Ok{};
}

Status LayerBuilder::Add(const AddSpec& spec) {
  struct stat st;
  if (stat(spec.source.c_str(), &st) != 0)
    return ErrnoError("adding " + spec.source + " to the layer", errno);
  PLINTH_TRY(std::string dest, MemberName(spec.dest));
  bool into = spec.dest.empty() || spec.dest.back() == '/' || dest == ".";
  if (S_ISDIR(st.st_mode)) {
    if (dest != ".") {
      PLINTH_CHECK(AddParents(dest));
      TarEntry dir = Generated(dest, EntryType::kDirectory, st.st_mode & 07777);
      dir.mtime = st.st_mtim.tv_sec;
      PLINTH_CHECK(Put(Item{std::move(dir)}));
    }
    Status added = AddTree(spec.source, dest);
    if (!added) return added.error().Context("adding " + spec.source + " to the layer");
    return Ok{};
  }
  std::string name = into ? JoinName(dest, BaseName(spec.source)) : dest;
  PLINTH_CHECK(AddParents(name));
  // The top-level source is followed: resolve it so a symlink copies its target's content.
  char* real = realpath(spec.source.c_str(), nullptr);
  if (!real) return ErrnoError("resolving " + spec.source, errno);
  std::string resolved(real);
  free(real);
  return AddDiskPath(resolved, name);
}

Status LayerBuilder::AddEntry(TarEntry entry, ContentOpener content) {
  PLINTH_TRY(entry.name, MemberName(entry.name));
  if (entry.name == ".") return InvalidInput("an entry cannot be the layer's root");
  PLINTH_CHECK(ValidateMemberName(entry.name));
  if (entry.type == EntryType::kCharDevice || entry.type == EntryType::kBlockDevice)
    return InvalidInput("'" + entry.name + "' is a device; device files cannot go into a layer");
  if (entry.type == EntryType::kHardLink) {
    PLINTH_TRY(entry.link_target, MemberName(entry.link_target));
    PLINTH_CHECK(ValidateMemberName(entry.link_target));
  }
  if (entry.type == EntryType::kRegular && entry.size > 0 && !content)
    return InvalidInput("file entry '" + entry.name + "' has a size but no content");
  PLINTH_CHECK(AddParents(entry.name));
  Item item{std::move(entry)};
  item.content = std::move(content);
  return Put(std::move(item));
}

Status LayerBuilder::AddFile(const std::string& dest, std::string content, uint32_t mode) {
  TarEntry e = Generated(dest, EntryType::kRegular, mode);
  e.size = content.size();
  auto shared = std::make_shared<std::string>(std::move(content));
  return AddEntry(std::move(e), [shared]() -> Result<std::unique_ptr<ByteSource>> {
    return std::unique_ptr<ByteSource>(new StringSource(*shared));
  });
}

Status LayerBuilder::AddDirectory(const std::string& dest, uint32_t mode) {
  return AddEntry(Generated(dest, EntryType::kDirectory, mode));
}

Status LayerBuilder::AddSymlink(const std::string& dest, const std::string& target) {
  TarEntry e = Generated(dest, EntryType::kSymlink, 0777);
  e.link_target = target;
  return AddEntry(std::move(e));
}

Status LayerBuilder::AddHardLink(const std::string& dest, const std::string& target) {
  TarEntry e = Generated(dest, EntryType::kHardLink, 0644);
  e.link_target = target;
  return AddEntry(std::move(e));
}

Status LayerBuilder::WriteTar(ByteSink& out) const {
  TarWriter tar(out);
  std::map<std::pair<uint64_t, uint64_t>, std::string> first_link;  // (dev, ino) -> name
  for (const auto& [name, item] : entries_) {
    if (item.entry.type == EntryType::kHardLink && !entries_.count(item.entry.link_target))
      return InvalidInput("hard link '" + name + "' points to '" + item.entry.link_target +
                          "', which is not in the layer");
    if (!item.disk_path.empty()) {
      if (item.multi_link) {
        auto [it, first] = first_link.emplace(std::make_pair(item.dev, item.ino), name);
        if (!first) {
          TarEntry link = item.entry;
          link.type = EntryType::kHardLink;
          link.size = 0;
          link.link_target = it->second;
          PLINTH_CHECK(tar.WriteHeader(link));
          continue;
        }
      }
      PLINTH_CHECK(tar.WriteFile(item.entry, item.disk_path));
    } else if (item.content) {
      PLINTH_TRY(std::unique_ptr<ByteSource> source, item.content());
      PLINTH_CHECK(tar.WriteEntry(item.entry, source.get()));
    } else {
      PLINTH_CHECK(tar.WriteEntry(item.entry, nullptr));
    }
  }
  return tar.Finish();
}

Result<LayerInfo> LayerBuilder::Build(ByteSink& out) const {
  LayerStream stream(out, options_.compression, options_.level);
  Status written = WriteTar(stream);
  if (!written) return written.error().Context("writing layer");
  return stream.Finish();
}

}  // namespace plinth::layer
