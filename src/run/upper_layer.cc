#include "run/upper_layer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <vector>

#include "layer/layer_builder.h"
#include "util/rooted_path.h"

namespace plinth::run {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueWhiteout = ".wh..wh..opq";

// Passes reads through, telling the caller how many content bytes went by.
class CountingSource : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, std::function<void(int64_t)> on_bytes)
      : inner_(std::move(inner)), on_bytes_(std::move(on_bytes)) {}
  Result<size_t> Read(void* data, size_t size) override {
    auto n = inner_->Read(data, size);
    if (n && on_bytes_) on_bytes_(static_cast<int64_t>(*n));
    return n;
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::function<void(int64_t)> on_bytes_;
};

// Whether `path` (not followed) has the xattr `name`; its value (at most a few bytes; longer
// ones read as "?") goes to `value`.
Result<bool> HasXattr(const std::string& path, const char* name, std::string* value = nullptr) {
  char buf[64];
  ssize_t n = lgetxattr(path.c_str(), name, buf, sizeof buf);
  if (n < 0 && (errno == ENODATA || errno == ENOTSUP)) return false;
  if (n < 0 && errno != ERANGE)
    return ErrnoError("reading xattr " + std::string(name) + " of " + path, errno);
  if (value) *value = n < 0 ? "?" : std::string(buf, static_cast<size_t>(n));
  return true;
}

// Calls `visit(name, lstat)` for every path below `upper`, without following symlinks, in no
// particular order (LayerBuilder sorts). Folders are listed with an explicit stack: a deep tree
// costs no recursion.
Status Walk(const std::string& upper,
            const std::function<Status(const std::string&, const struct stat&)>& visit) {
  std::vector<std::string> todo = {""};
  while (!todo.empty()) {
    std::string rel = std::move(todo.back());
    todo.pop_back();
    std::string dir_path = rel.empty() ? upper : upper + "/" + rel;
    DIR* dir = opendir(dir_path.c_str());
    if (!dir) return ErrnoError("listing " + dir_path, errno);
    errno = 0;
    std::vector<std::string> children;
    while (dirent* d = readdir(dir)) {
      std::string_view name = d->d_name;
      if (name != "." && name != "..") children.emplace_back(name);
    }
    int err = errno;
    closedir(dir);
    if (err) return ErrnoError("listing " + dir_path, err);
    for (std::string& child : children) {
      std::string child_rel = rel.empty() ? child : rel + "/" + child;
      std::string path = upper + "/" + child_rel;
      struct stat st;
      if (lstat(path.c_str(), &st) != 0) return ErrnoError("inspecting " + path, errno);
      PLINTH_CHECK(visit(child_rel, st));
      if (S_ISDIR(st.st_mode)) todo.push_back(std::move(child_rel));
    }
  }
  return Ok{};
}

std::string Parent(const std::string& name) {
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? "" : name.substr(0, slash + 1);
}

std::string Base(const std::string& name) {
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

layer::TarEntry EntryOf(const std::string& name, const struct stat& st, layer::EntryType type) {
  layer::TarEntry e;
  e.name = name;
  e.type = type;
  e.mode = st.st_mode & 07777;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.mtime = st.st_mtim.tv_sec;
  return e;
}

// Adds the member(s) one path of the upper becomes.
// The member of a regular file, its content read from the upper when the layer is written.
Status AddFile(layer::LayerBuilder& builder, const std::string& upper, const std::string& name,
               const struct stat& st, const std::function<void(int64_t)>& on_bytes) {
  layer::TarEntry e = EntryOf(name, st, layer::EntryType::kRegular);
  e.size = static_cast<uint64_t>(st.st_size);
  // Opened only when written, inside the upper (no link in it leads out); TarWriter checks the
  // size is still the one recorded here.
  layer::ContentOpener opener = [upper, name, on_bytes]() -> Result<std::unique_ptr<ByteSource>> {
    PLINTH_TRY(FileSource file, OpenInRoot(upper, name));
    auto owned = std::make_unique<FileSource>(std::move(file));
    if (!on_bytes) return std::unique_ptr<ByteSource>(std::move(owned));
    return std::unique_ptr<ByteSource>(
        std::make_unique<CountingSource>(std::move(owned), on_bytes));
  };
  return builder.AddEntry(std::move(e), std::move(opener));
}

// Files with several links, by inode: their names and metadata, written once the walk is done.
using LinkGroups = std::map<std::pair<uint64_t, uint64_t>, std::vector<std::string>>;

// Adds the member(s) one path of the upper becomes; files with several links go to `links`.
Status AddPath(layer::LayerBuilder& builder, const std::string& upper, const std::string& name,
               const struct stat& st, LinkGroups& links,
               const std::function<void(int64_t)>& on_bytes) {
  std::string path = upper + "/" + name;
  if (Base(name).starts_with(kWhiteoutPrefix))
    return InvalidInput("'" + name +
                        "': a name starting with \".wh.\" cannot go into a layer, "
                        "where it means a removed file");
  // The mount options rule these out; an upper that has them cannot be read as plain files.
  for (const char* xattr : {"trusted.overlay.redirect", "trusted.overlay.metacopy"}) {
    PLINTH_TRY(bool has, HasXattr(path, xattr));
    if (has)
      return InvalidInput("'" + name + "' carries the overlay xattr " + xattr +
                          ": the upper must come from a mount with redirect_dir=off, "
                          "metacopy=off");
  }
  if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0) {
    // Overlay's whiteout: NAME was removed from the lowers.
    layer::TarEntry e = EntryOf(Parent(name) + std::string(kWhiteoutPrefix) + Base(name), st,
                                layer::EntryType::kRegular);
    return builder.AddEntry(std::move(e));
  }
  if (S_ISDIR(st.st_mode)) {
    PLINTH_CHECK(builder.AddEntry(EntryOf(name, st, layer::EntryType::kDirectory)));
    std::string opaque;
    PLINTH_TRY(bool has_opaque, HasXattr(path, "trusted.overlay.opaque", &opaque));
    if (has_opaque && opaque == "y") {
      layer::TarEntry marker =
          EntryOf(name + "/" + std::string(kOpaqueWhiteout), st, layer::EntryType::kRegular);
      marker.mode = 0;
      marker.uid = marker.gid = 0;
      PLINTH_CHECK(builder.AddEntry(std::move(marker)));
    }
    return Ok{};
  }
  if (S_ISLNK(st.st_mode)) {
    layer::TarEntry e = EntryOf(name, st, layer::EntryType::kSymlink);
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    ssize_t n = readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return ErrnoError("reading symlink " + path, errno);
    if (static_cast<size_t>(n) >= target.size()) return IoError(path + " changed while read");
    target.resize(static_cast<size_t>(n));
    e.link_target = std::move(target);
    return builder.AddEntry(std::move(e));
  }
  if (S_ISFIFO(st.st_mode)) return builder.AddEntry(EntryOf(name, st, layer::EntryType::kFifo));
  if (S_ISSOCK(st.st_mode)) return Ok{};  // as docker's and buildah's tar writers skip them
  if (!S_ISREG(st.st_mode))
    return InvalidInput("'" + name + "' is a device; a RUN step's layer may not contain one");
  if (st.st_nlink > 1) {
    links[{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)}].push_back(name);
    return Ok{};
  }
  return AddFile(builder, upper, name, st, on_bytes);
}

// Each group: the first name in the layer's order is the file, the others hard links to it
// (a link's target must come before it in the tar).
Status AddLinkGroups(layer::LayerBuilder& builder, const std::string& upper, LinkGroups& links,
                     const std::function<void(int64_t)>& on_bytes) {
  for (auto& [inode, names] : links) {
    std::sort(names.begin(), names.end());
    std::string first_path = upper + "/" + names.front();
    struct stat st;
    if (lstat(first_path.c_str(), &st) != 0) return ErrnoError("inspecting " + first_path, errno);
    PLINTH_CHECK(AddFile(builder, upper, names.front(), st, on_bytes));
    for (size_t i = 1; i < names.size(); ++i) {
      layer::TarEntry link = EntryOf(names[i], st, layer::EntryType::kHardLink);
      link.link_target = names.front();
      PLINTH_CHECK(builder.AddEntry(std::move(link)));
    }
  }
  return Ok{};
}

}  // namespace

Result<UpperLayerResult> WriteUpperLayer(const oci::LayoutStore& store, const std::string& upper,
                                         layer::Compression compression, int64_t timestamp,
                                         const std::function<void(int64_t)>& on_bytes) {
  auto context = [&](const Error& e) {
    return e.Context("writing the step's changes in " + upper + " as a layer");
  };
  layer::LayerBuilder builder(
      layer::LayerOptions{.compression = compression, .timestamp = timestamp});
  LinkGroups links;
  Status walked = Walk(upper, [&](const std::string& name, const struct stat& st) {
    return AddPath(builder, upper, name, st, links, on_bytes);
  });
  if (!walked) return context(walked.error());
  if (Status linked = AddLinkGroups(builder, upper, links, on_bytes); !linked)
    return context(linked.error());
  // The layer stream hashes the blob as it writes it; the store need not hash it again.
  auto blob = store.NewBlobHashedByCaller();
  if (!blob) return context(blob.error());
  auto info = builder.Build(*blob);
  if (!info) return context(info.error());
  auto descriptor = blob->Commit(info->media_type, info->digest);
  if (!descriptor) return context(descriptor.error());
  return UpperLayerResult{*descriptor, info->diff_id};
}

}  // namespace plinth::run
