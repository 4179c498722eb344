#include "plan/disk_context_files.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "util/sha256_stream.h"

namespace plinth::plan {
namespace {

std::string Join(const std::string& context, const std::string& rel) {
  return rel == "." ? context : context + "/" + rel;
}

}  // namespace

Result<std::optional<PathInfo>> DiskContextFiles::Lstat(const std::string& context,
                                                        const std::string& rel) {
  std::string path = Join(context, rel);
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
  std::string path = Join(context, rel);
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
  PLINTH_TRY(std::string hex, Sha256HexOfFile(Join(context, rel)));
  return "sha256:" + hex;
}

}  // namespace plinth::plan
