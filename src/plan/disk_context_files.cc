#include "plan/disk_context_files.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/rooted_path.h"
#include "util/sha256_stream.h"

namespace plinth::plan {
namespace {

std::string Join(const std::string& context, const std::string& rel) {
  return rel == "." ? context : context + "/" + rel;
}

}  // namespace

// Every path is resolved inside the context (util/rooted_path.h), as the builder reads it: the
// plan walks links itself, and a link on the way must not lead the kernel out of the context.
Result<std::optional<PathInfo>> DiskContextFiles::Lstat(const std::string& context,
                                                        const std::string& rel) {
  auto real = ResolveInRoot(context, rel, /*follow_last=*/false);
  if (!real && real.error().kind() == ErrorKind::kNotFound) return std::optional<PathInfo>();
  if (!real) return real.error();
  std::string path = Join(context, *real);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::optional<PathInfo>();
    return ErrnoError("reading " + path, errno);
  }
  PathInfo info;
  info.mode = st.st_mode & 07777;
  if (S_ISREG(st.st_mode)) {
    info.type = PathInfo::Type::kFile;
  } else if (S_ISDIR(st.st_mode)) {
    info.type = PathInfo::Type::kDirectory;
  } else if (S_ISLNK(st.st_mode)) {
    info.type = PathInfo::Type::kSymlink;
    std::string buf(4096, '\0');
    ssize_t n = readlink(path.c_str(), buf.data(), buf.size());
    if (n < 0) return ErrnoError("reading link " + path, errno);
    info.link_target = buf.substr(0, static_cast<size_t>(n));
  } else {
    info.type = PathInfo::Type::kOther;
  }
  return std::optional<PathInfo>(std::move(info));
}

Result<std::vector<std::string>> DiskContextFiles::List(const std::string& context,
                                                        const std::string& rel) {
  PLINTH_TRY(std::string real, ResolveInRoot(context, rel, /*follow_last=*/true));
  std::string path = Join(context, real);
  DIR* dir = opendir(path.c_str());
  if (!dir) return ErrnoError("listing " + path, errno);
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    std::string name = e->d_name;
    if (name != "." && name != "..") names.push_back(std::move(name));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> DiskContextFiles::Digest(const std::string& context, const std::string& rel) {
  PLINTH_TRY(FileSource file, OpenInRoot(context, rel));
  PLINTH_TRY(std::string hex, Sha256HexOf(file));
  return "sha256:" + hex;
}

}  // namespace plinth::plan
