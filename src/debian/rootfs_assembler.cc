#include "debian/rootfs_assembler.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "debian/elf_arch.h"
#include "debian/package_spool.h"
#include "debian/package_unpacker.h"
#include "debian/path_filter.h"
#include "debian/rootfs_tree.h"

namespace plinth::debian {
namespace {

constexpr const char* kCaBundle = "etc/ssl/certs/ca-certificates.crt";
constexpr const char* kNsswitch = "etc/nsswitch.conf";

std::string Relative(const std::string& absolute) {
  size_t i = absolute.find_first_not_of('/');
  return i == std::string::npos ? "" : absolute.substr(i);
}

Status AddSkeleton(const Recipe& recipe, const std::string& arch, RootfsTree* tree) {
  if (recipe.merged_usr == MergedUsr::kYes) {
    std::vector<std::string> links = {"bin", "lib", "sbin"};
    if (arch == "amd64") links.push_back("lib64");
    for (const auto& l : links) PLINTH_CHECK(tree->AddGeneratedSymlink(l, "usr/" + l));
  }
  for (const char* d : {"etc", "home", "usr", "usr/bin", "usr/lib", "usr/sbin", "var", "var/lib",
                        "var/lib/dpkg", "var/lib/dpkg/status.d"})
    PLINTH_CHECK(tree->AddGeneratedDirectory(d));
  PLINTH_CHECK(tree->AddGeneratedDirectory("root", 0700));
  PLINTH_CHECK(tree->AddGeneratedDirectory("tmp", 01777));
  for (const auto& u : recipe.users) {
    std::string home = Relative(u.home);
    if (u.uid == 0 || home.empty() || home == "nonexistent" || tree->Exists(home)) continue;
    PLINTH_CHECK(tree->AddGeneratedDirectory(home, 0700, u.uid, u.gid));
  }
  return Ok{};
}

std::string PasswdText(const Recipe& recipe) {
  std::string out;
  for (const auto& u : recipe.users) {
    out += u.name + ":x:" + std::to_string(u.uid) + ":" + std::to_string(u.gid) + ":" + u.name +
           ":" + u.home + ":/sbin/nologin\n";
  }
  return out;
}

std::string GroupText(const Recipe& recipe) {
  std::string out;
  for (const auto& g : recipe.groups) out += g.name + ":x:" + std::to_string(g.gid) + ":\n";
  return out;
}

// update-ca-certificates concatenates the certificates in path order, each ending in "\n".
std::string CaBundle(const std::map<std::string, std::string>& certs) {
  std::string out;
  for (const auto& [path, pem] : certs) {
    out += pem;
    if (!pem.empty() && pem.back() != '\n') out += '\n';
  }
  return out;
}

// Runs UnpackPackage for every package on `jobs` threads; results are taken in order.
class ParallelUnpacker {
 public:
  ParallelUnpacker(const std::vector<PackageFile>& packages, const AssembleOptions& options,
                   const UnpackOptions& unpack)
      : packages_(packages), options_(options), unpack_(unpack), results_(packages.size()) {
    int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::thread::hardware_concurrency());
    jobs = std::max(1, std::min<int>(jobs, static_cast<int>(packages.size())));
    for (int i = 0; i < jobs; ++i) threads_.emplace_back([this] { Work(); });
  }
  ~ParallelUnpacker() {
    stop_ = true;
    for (auto& t : threads_) t.join();
    for (auto& r : results_) {
      if (r && r->ok()) unlink((*r)->spool.c_str());
    }
  }

  Result<UnpackedPackage> Take(size_t i) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return results_[i].has_value(); });
    Result<UnpackedPackage> r = std::move(*results_[i]);
    results_[i].reset();
    return r;
  }

 private:
  void Work() {
    while (true) {
      if (stop_) {
        // Slots nobody claimed yet get a cancellation so Take() never waits forever; claimed
        // ones are filled by the thread working on them.
        size_t from = next_.exchange(kDone);
        std::lock_guard<std::mutex> lock(mu_);
        for (size_t i = from; i < results_.size(); ++i)
          results_[i] = Result<UnpackedPackage>(Error(ErrorKind::kCancelled, "cancelled"));
        cv_.notify_all();
        return;
      }
      size_t i = next_++;
      if (i >= packages_.size()) return;
      std::string spool = options_.tmp_dir + "/" + std::to_string(i) + ".spool";
      auto r = UnpackPackage(packages_[i].deb_path, packages_[i].package, spool, unpack_);
      if (!r) {
        unlink(spool.c_str());
        stop_ = true;  // no point decompressing the rest
      }
      std::lock_guard<std::mutex> lock(mu_);
      results_[i] = std::move(r);
      cv_.notify_all();
    }
  }

  static constexpr size_t kDone = size_t{1} << 60;
  const std::vector<PackageFile>& packages_;
  const AssembleOptions& options_;
  const UnpackOptions& unpack_;
  std::vector<std::optional<Result<UnpackedPackage>>> results_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::thread> threads_;
};

}  // namespace

Result<AssembleReport> AssembleRootfs(const Recipe& recipe, const std::vector<PackageFile>& packages,
                                      const AssembleOptions& options, RootfsSink* sink) {
  RootfsTree tree(sink, options.source_date_epoch);
  PathFilter filter(recipe.path_excludes, recipe.path_keep);
  UnpackOptions unpack;
  unpack.filter = &filter;
  unpack.machine = MachineForArch(options.arch);
  unpack.arch = options.arch;

  // Generated paths win over package files at the same place.
  for (const char* p : {"etc/passwd", "etc/group", kCaBundle}) tree.Reserve(p);
  for (const auto& f : recipe.files) tree.Reserve(Relative(ExpandArch(f.path, options.arch)));
  for (const auto& p : packages) tree.Reserve("var/lib/dpkg/status.d/" + p.package.name);

  PLINTH_CHECK(AddSkeleton(recipe, options.arch, &tree));

  std::map<std::string, std::string> certificates;
  std::vector<UnpackedPackage> records;
  {
    ParallelUnpacker unpacker(packages, options, unpack);
    for (size_t i = 0; i < packages.size(); ++i) {
      PLINTH_TRY(UnpackedPackage u, unpacker.Take(i));
      struct Unlink {
        std::string path;
        ~Unlink() { unlink(path.c_str()); }
      } cleanup{u.spool};
      PLINTH_TRY(SpoolReader reader, SpoolReader::Open(u.spool));
      TarEntry entry;
      while (true) {
        PLINTH_TRY(bool more, reader.Next(&entry));
        if (!more) break;
        if (options.source_date_epoch > 0) entry.mtime = std::min(entry.mtime, options.source_date_epoch);
        auto s = tree.AddFromPackage(entry, &reader.content(), u.package.name);
        if (!s) return s.error().Context("adding " + u.package.name + " to the image");
      }
      certificates.merge(u.certificates);
      u.certificates.clear();
      records.push_back(std::move(u));
    }
  }

  if (!options.over_image) {
    PLINTH_CHECK(tree.AddGeneratedFile("etc/passwd", PasswdText(recipe)));
    PLINTH_CHECK(tree.AddGeneratedFile("etc/group", GroupText(recipe)));
  }
  if (!options.over_image && !tree.Exists(kNsswitch)) {
    PLINTH_CHECK(tree.AddGeneratedFile(kNsswitch,
                                       "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n"
                                       "networks: files\nprotocols: files\nservices: files\n"
                                       "ethers: files\nrpc: files\n"));
  }
  if (!certificates.empty()) PLINTH_CHECK(tree.AddGeneratedFile(kCaBundle, CaBundle(certificates)));
  for (const auto& u : records) {
    std::string base = "var/lib/dpkg/status.d/" + u.package.name;
    PLINTH_CHECK(tree.AddGeneratedFile(base, u.control));
    if (!u.md5sums.empty()) PLINTH_CHECK(tree.AddGeneratedFile(base + ".md5sums", u.md5sums));
  }
  for (const auto& f : recipe.files) {
    std::string path = Relative(ExpandArch(f.path, options.arch));
    std::string content = ExpandArch(f.content, options.arch);
    switch (f.kind) {
      case ExtraFileKind::kFile:
        PLINTH_CHECK(tree.AddGeneratedFile(path, content, f.mode, f.uid, f.gid));
        break;
      case ExtraFileKind::kSymlink: {
        auto s = tree.AddGeneratedSymlink(path, content);
        if (!s) return s.error().Context("adding recipe file /" + path);
        break;
      }
      case ExtraFileKind::kDirectory:
        PLINTH_CHECK(tree.AddGeneratedDirectory(path, f.mode, f.uid, f.gid));
        break;
    }
  }
  AssembleReport report;
  report.entries = tree.entries();
  report.certificates = certificates.size();
  report.duplicates = tree.duplicates();
  return report;
}

}  // namespace plinth::debian
