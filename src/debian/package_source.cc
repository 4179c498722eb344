#include "debian/package_source.h"

#include <unistd.h>

#include <algorithm>

#include "debian/release_file.h"
#include "util/atomic_file.h"
#include "util/byte_stream.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

class AptPackageSource : public PackageSource {
 public:
  AptPackageSource(std::string cache_dir, std::vector<AptSource> sources, DebCache cache)
      : cache_dir_(std::move(cache_dir)), sources_(std::move(sources)), cache_(std::move(cache)) {}

  Result<PackageIndex> LoadIndex(const std::string& arch, RefreshPolicy refresh) override {
    AptDriver apt(cache_dir_, sources_, arch, kDebianKeyring);
    PLINTH_CHECK(apt.Update(refresh));
    return apt.LoadIndex();
  }

  Status Fetch(const std::string& arch, const std::vector<LockedPackage>& packages) override {
    AptDriver apt(cache_dir_, sources_, arch, kDebianKeyring);
    return apt.Download(packages, cache_);
  }

  const DebCache& cache() const override { return cache_; }

 private:
  std::string cache_dir_;
  std::vector<AptSource> sources_;
  DebCache cache_;
};

class OfflinePackageSource : public PackageSource {
 public:
  OfflinePackageSource(OfflineIndex index, DebCache cache)
      : index_(std::move(index)), cache_(std::move(cache)) {}

  Result<PackageIndex> LoadIndex(const std::string& arch, RefreshPolicy) override {
    std::string where = "loading offline index " + index_.packages;
    auto text = VerifyRelease(index_.release, index_.signature);
    if (!text) return text.error().Context(where);
    auto release = ReleaseFile::Parse(*text, index_.release);
    if (!release) return release.error().Context(where);
    if (auto s = CheckListed(*release, index_.packages); !s) return s.error().Context(where);
    PackageIndex index(arch);
    PLINTH_CHECK(index.LoadFile(index_.packages));
    return index;
  }

  Status Fetch(const std::string& arch, const std::vector<LockedPackage>& packages) override {
    if (std::all_of(packages.begin(), packages.end(),
                    [&](const auto& p) { return cache_.Has(p.sha256); }))
      return Ok{};
    PLINTH_TRY(FileLock lock, cache_.LockForWriting());
    for (const auto& p : packages) {
      if (cache_.Has(p.sha256)) continue;
      std::string name = p.filename.substr(p.filename.rfind('/') + 1);
      std::string from = index_.debs + "/" + name;
      if (!PathExists(from))
        return NotFound("fetching " + p.name + " " + p.version + ": " + from + " does not exist");
      // Copy (the folder is the user's), then verify and adopt like a download.
      std::string tmp = cache_.tmp_dir() + "/" + name + "." + std::to_string(getpid());
      PLINTH_TRY(FileSource in, FileSource::Open(from));
      {
        PLINTH_TRY(AtomicFile out, AtomicFile::Create(tmp));
        struct Sink : ByteSink {
          AtomicFile* f;
          Status Write(const void* d, size_t n) override { return f->Write(d, n); }
        } sink;
        sink.f = &out;
        PLINTH_CHECK(CopyStream(in, sink));
        PLINTH_CHECK(out.Commit());
      }
      auto s = cache_.Adopt(tmp, p.sha256, p.name + " " + p.version + " (" + from + ")");
      if (!s) return s.error().Context("fetching " + p.name);
    }
    return Ok{};
  }

  const DebCache& cache() const override { return cache_; }

 private:
  OfflineIndex index_;
  DebCache cache_;
};

}  // namespace

Result<std::unique_ptr<PackageSource>> MakePackageSource(const Recipe& recipe,
                                                         const std::string& cache_dir) {
  PLINTH_TRY(DebCache cache, DebCache::Open(cache_dir + "/debs"));
  if (recipe.offline)
    return std::unique_ptr<PackageSource>(new OfflinePackageSource(*recipe.offline, std::move(cache)));
  std::vector<AptSource> sources = recipe.sources;
  if (sources.empty()) {
    SystemMirrors mirrors;
    if (recipe.mirror == "system") {
      PLINTH_TRY(mirrors, FindSystemMirrors());
    } else {
      mirrors.debian = recipe.mirror;
    }
    sources = DefaultSources(mirrors, recipe.suite);
  }
  return std::unique_ptr<PackageSource>(new AptPackageSource(cache_dir, std::move(sources), std::move(cache)));
}

}  // namespace plinth::debian
