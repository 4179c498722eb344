#include "debian/deb_cache.h"

#include <cerrno>
#include <cstdio>
#include <unistd.h>

#include "util/byte_stream.h"
#include "util/fs.h"
#include "util/sha256_stream.h"

namespace plinth::debian {

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

Status DebCache::Adopt(const std::string& file, const std::string& sha256,
                       const std::string& package) const {
  PLINTH_TRY(std::string got, HashFile(file));
  if (got != sha256) {
    unlink(file.c_str());
    return IntegrityError("package " + package + ": sha256 mismatch: the index says " + sha256 +
                          ", the downloaded file has " + got);
  }
  if (std::rename(file.c_str(), PathFor(sha256).c_str()) != 0)
    return ErrnoError("adding " + package + " to the package cache", errno);
  return Ok{};
}

}  // namespace plinth::debian
