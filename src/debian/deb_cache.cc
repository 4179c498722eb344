#include "debian/deb_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "util/fs.h"
#include "util/sha256_stream.h"

namespace plinth::debian {
namespace {

constexpr std::string_view kDebSuffix = ".deb";

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The names in `dir`, sorted (so that errors list files in a stable order).
Result<std::vector<std::string>> Names(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  if (ec) return IoError("listing " + dir + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

// Makes the file's bytes durable before it is published under its hash, so a crash cannot
// leave a cached name whose content was never written.
Status SyncFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("opening " + path, errno);
  int rc = fdatasync(fd);
  int err = errno;
  close(fd);
  if (rc != 0) return ErrnoError("writing " + path + " to disk", err);
  return Ok{};
}

}  // namespace

Result<std::string> HashFile(const std::string& path) { return Sha256HexOfFile(path); }

Result<DebCache> DebCache::Open(const std::string& dir) {
  PLINTH_CHECK(MakeDirs(dir + "/sha256"));
  PLINTH_CHECK(MakeDirs(dir + "/tmp"));
  return DebCache(dir);
}

std::string DebCache::PathFor(const std::string& sha256) const {
  return dir_ + "/sha256/" + sha256 + ".deb";
}

bool DebCache::Has(const std::string& sha256) const { return PathExists(PathFor(sha256)); }

Result<FileLock> DebCache::LockForWriting() const {
  PLINTH_TRY(FileLock lock, FileLock::Acquire(dir_ + "/lock"));
  PLINTH_TRY(auto leftovers, Names(tmp_dir()));
  for (const auto& name : leftovers) {
    if (auto s = RemoveAll(tmp_dir() + "/" + name); !s)
      return s.error().Context("removing what an interrupted download left in " + tmp_dir());
  }
  return lock;
}

Status DebCache::Adopt(const std::string& file, const std::string& sha256,
                       const std::string& package) const {
  PLINTH_TRY(std::string got, HashFile(file));
  if (got != sha256) {
    unlink(file.c_str());
    return IntegrityError("package " + package + ": sha256 mismatch: the index says " + sha256 +
                          ", the downloaded file has " + got);
  }
  PLINTH_CHECK(SyncFile(file));
  if (std::rename(file.c_str(), PathFor(sha256).c_str()) != 0)
    return ErrnoError("adding " + package + " to the package cache", errno);
  return Ok{};
}

Result<size_t> DebCache::Verify() const {
  std::string dir = dir_ + "/sha256";
  PLINTH_TRY(auto names, Names(dir));
  std::string damaged;
  size_t checked = 0;
  for (const auto& name : names) {
    std::string path = dir + "/" + name;
    std::string_view stem(name);
    if (!stem.ends_with(kDebSuffix) || !IsHex64(stem.substr(0, stem.size() - kDebSuffix.size()))) {
      damaged += "\n  " + path + ": not named <sha256>.deb";
      continue;
    }
    PLINTH_TRY(std::string got, HashFile(path));
    ++checked;
    if (got != stem.substr(0, 64)) damaged += "\n  " + path + ": content has sha256 " + got;
  }
  if (!damaged.empty())
    return IntegrityError("verifying the package cache " + dir_ + ":" + damaged +
                          "\ndelete these files; the next build downloads them again");
  return checked;
}

}  // namespace plinth::debian
