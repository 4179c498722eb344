#include "util/fs.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace plinth {

Result<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("reading " + path, errno);
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      close(fd);
      return ErrnoError("reading " + path, err);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

Result<std::string> ReadAtMost(FileSource& file, uint64_t max_bytes, const std::string& name) {
  if (file.size() > max_bytes) {
    std::string limit = max_bytes % (1u << 20) == 0 ? std::to_string(max_bytes >> 20) + " MiB"
                                                     : std::to_string(max_bytes) + " bytes";
    return InvalidInput("larger than " + limit + ", plinth's limit for this file", Location{name});
  }
  StringSink content;  // FileSource yields no more than the size it had when opened
  PLINTH_CHECK(CopyStream(file, content));
  return content.str();
}

Result<std::string> ReadFileAtMost(const std::string& path, uint64_t max_bytes) {
  // O_NONBLOCK: a FIFO is refused, not waited on.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ErrnoError("reading " + path, errno);
  PLINTH_TRY(FileSource file, FileSource::AdoptRegular(fd, path));
  return ReadAtMost(file, max_bytes, path);
}

Status MakePrivateDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("creating " + path, errno);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return ErrnoError("inspecting " + path, errno);
  if (!S_ISDIR(st.st_mode)) return IoError(path + " is not a folder");
  if ((st.st_mode & 07777) != 0700 && chmod(path.c_str(), 0700) != 0)
    return ErrnoError("making " + path + " private", errno);
  return Ok{};
}

Status MakeDirs(const std::string& path, int mode) {
  if (path.empty()) return IoError("creating directory: the path is empty");
  // Each prefix ending at a '/' (but not at the root or a repeated '/'), then the whole path:
  // mkdir(2) with `mode`, so every folder made here gets `mode` less the umask, as mkdir -p -m
  // would (std::filesystem::create_directories made them 0777 less the umask).
  auto make = [&](const std::string& dir) -> Status {
    if (mkdir(dir.c_str(), static_cast<mode_t>(mode)) == 0) return Ok{};
    int err = errno;
    struct stat st;
    if (stat(dir.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Ok{};
      return IoError("creating directory " + path + ": " + dir + " exists and is not a folder");
    }
    return ErrnoError("creating directory " + path + " (at " + dir + ")", err);
  };
  for (size_t i = 1; i < path.size(); ++i) {
    if (path[i] == '/' && path[i - 1] != '/') PLINTH_CHECK(make(path.substr(0, i)));
  }
  return make(path);
}

bool PathExists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status RemoveAll(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return IoError("removing " + path + ": " + ec.message());
  return Ok{};
}

namespace {

std::string TempBase() {
  const char* base = std::getenv("TMPDIR");
  return base && *base ? base : "/tmp";
}

}  // namespace

Result<TempDir> TempDir::Create(std::string_view prefix) {
  std::string templ = TempBase() + "/" + std::string(prefix) + ".XXXXXX";
  for (;;) {
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) return ErrnoError("creating a temp directory", errno);
    int fd = open(buf.data(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return ErrnoError("opening " + std::string(buf.data()), errno);
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    // A sweeper may have taken the directory for abandoned between mkdtemp and flock, and
    // removed it: then it has no links left, and a new one is made.
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_nlink > 0) return TempDir(buf.data(), fd);
    close(fd);
  }
}

TempDir::~TempDir() {
  if (!path_.empty()) (void)RemoveAll(path_);
  if (fd_ >= 0) close(fd_);
}

Result<int> RemoveAbandonedTempDirs(const std::vector<std::string>& prefixes, bool dry_run) {
  std::string base = TempBase();
  std::error_code ec;
  std::filesystem::directory_iterator it(base, ec);
  if (ec) return IoError("reading " + base + ": " + ec.message());
  int found = 0;
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    auto dot = name.rfind('.');
    // PREFIX.XXXXXX, as mkdtemp names them.
    if (dot == std::string::npos || name.size() - dot != 7) continue;
    bool ours = false;
    for (const auto& p : prefixes) ours = ours || name.compare(0, dot, p) == 0 && dot == p.size();
    if (!ours) continue;
    std::string path = base + "/" + name;
    int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat st;
    // Held: a live process uses it. Not ours: another user's, left alone.
    if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      continue;
    }
    ++found;
    Status removed = dry_run ? Status(Ok{}) : RemoveAll(path);
    close(fd);
    if (!removed) return removed.error();
  }
  return found;
}

}  // namespace plinth
