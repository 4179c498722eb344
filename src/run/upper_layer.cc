#include "run/upper_layer.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

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

// The value of xattr `name` on `path` (not followed), at most a few bytes; nullopt if unset.
Result<std::optional<std::string>> SmallXattr(const std::string& path, const char* name) {
  char value[64];
  ssize_t n = lgetxattr(path.c_str(), name, value, sizeof value);
  if (n >= 0) return std::optional<std::string>(std::string(value, static_cast<size_t>(n)));
  if (errno == ENODATA || errno == ENOTSUP) return std::optional<std::string>();
  if (errno == ERANGE) return std::optional<std::string>(std::string(sizeof value, '?'));
  return ErrnoError("reading xattr " + std::string(name) + " of " + path, errno);
}

// One path of the upper as found by the walk: its name in the layer and its lstat.
struct Found {
  struct stat st;
};

// Every path below `upper`, by name in byte order (the order the layer is written in), without
// following symlinks. Folders are listed with an explicit stack: a deep tree costs no recursion.
Result<std::map<std::string, Found>> Walk(const std::string& upper) {
  std::map<std::string, Found> found;
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
      Found f;
      std::string path = upper + "/" + child_rel;
      if (lstat(path.c_str(), &f.st) != 0) return ErrnoError("inspecting " + path, errno);
      if (S_ISDIR(f.st.st_mode)) todo.push_back(child_rel);
      found.emplace(std::move(child_rel), f);
    }
  }
  return found;
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
Status AddPath(layer::LayerBuilder& builder, const std::string& upper, const std::string& name,
               const struct stat& st,
               std::map<std::pair<uint64_t, uint64_t>, std::string>& first_link,
               const std::function<void(int64_t)>& on_bytes) {
  std::string path = upper + "/" + name;
  // The mount options rule these out; an upper that has them cannot be read as plain files.
  for (const char* xattr : {"trusted.overlay.redirect", "trusted.overlay.metacopy"}) {
    PLINTH_TRY(std::optional<std::string> value, SmallXattr(path, xattr));
    if (value)
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
    PLINTH_TRY(std::optional<std::string> opaque, SmallXattr(path, "trusted.overlay.opaque"));
    if (opaque && *opaque == "y") {
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
  if (!S_ISREG(st.st_mode))
    return InvalidInput("'" + name + "' is a " +
                        (S_ISSOCK(st.st_mode) ? std::string("socket") : std::string("device")) +
                        "; a RUN step's layer may not contain one");
  if (st.st_nlink > 1) {
    auto [it, first] = first_link.emplace(
        std::make_pair(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)), name);
    if (!first) {
      layer::TarEntry link = EntryOf(name, st, layer::EntryType::kHardLink);
      link.link_target = it->second;
      return builder.AddEntry(std::move(link));
    }
  }
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

}  // namespace

Result<UpperLayerResult> WriteUpperLayer(const oci::LayoutStore& store, const std::string& upper,
                                         layer::Compression compression, int64_t timestamp,
                                         const std::function<void(int64_t)>& on_bytes) {
  auto context = [&](const Error& e) {
    return e.Context("writing the step's changes in " + upper + " as a layer");
  };
  auto found = Walk(upper);
  if (!found) return context(found.error());
  layer::LayerBuilder builder(
      layer::LayerOptions{.compression = compression, .timestamp = timestamp});
  std::map<std::pair<uint64_t, uint64_t>, std::string> first_link;  // (dev, ino) -> name
  for (const auto& [name, f] : *found) {
    Status added = AddPath(builder, upper, name, f.st, first_link, on_bytes);
    if (!added) return context(added.error());
  }
  found->clear();
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
