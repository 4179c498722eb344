#include "e2e/debian_base_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <vector>

#include "oci/platform.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/file_lock.h"
#include "util/fs.h"

namespace plinth::testing {
namespace {

namespace fs = std::filesystem;

// Bumped when what the base holds changes, so a kept base from an older recipe is not used.
constexpr const char* kRecipeVersion = "v1";
constexpr auto kMaxAge = std::chrono::hours(24);
constexpr const char* kTag = "bookworm";

std::string CacheRoot() {
  if (const char* env = std::getenv("PLINTH_TEST_DEBIAN_BASE"); env && *env) return env;
  return TestDebCache() + "/debian-base/" + kRecipeVersion;
}

// Runs a tool; on failure records it with what the tool said and returns false.
bool Step(const std::vector<std::string>& argv) {
  auto r = Run(argv);
  if (r.exit_code == 0) return true;
  std::string command;
  for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
  ADD_FAILURE() << "making the Debian base: `" << command << "` exited " << r.exit_code << "\n"
                << r.out.substr(r.out.size() > 4000 ? r.out.size() - 4000 : 0) << "\n"
                << r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0);
  return false;
}

bool Fresh(const std::string& layout) {
  std::error_code ec;
  auto written = fs::last_write_time(layout + "/index.json", ec);
  if (ec) return false;
  return fs::file_time_type::clock::now() - written < kMaxAge;
}

// What docker's debian images leave out: device nodes (the runtime makes /dev), apt's lists and
// caches (the first `apt-get update` fetches them), the bootstrap log, and the host's hostname
// and resolver configuration, which debootstrap copies in (runtimes bind their own over them).
void Trim(const std::string& rootfs) {
  std::error_code ec;
  for (const char* dir : {"dev", "var/lib/apt/lists", "var/cache/apt/archives"})
    for (const auto& entry : fs::directory_iterator(rootfs + "/" + dir, ec))
      if (entry.path().filename() != "partial") fs::remove_all(entry.path(), ec);
  for (const auto& entry : fs::directory_iterator(rootfs + "/var/cache/apt", ec))
    if (entry.path().extension() == ".bin") fs::remove(entry.path(), ec);
  for (const char* file : {"var/log/bootstrap.log", "etc/hostname", "etc/resolv.conf"})
    fs::remove(rootfs + "/" + file, ec);
}

bool Build(const std::string& work, const std::string& debs) {
  std::string rootfs = work + "/rootfs";
  if (!Step({"debootstrap", "--variant=minbase", "--cache-dir=" + debs, kTag, rootfs,
             "http://deb.debian.org/debian"}))
    return false;
  Trim(rootfs);
  // One uncompressed tar of the tree: numeric owners, modes, hard links and setuid bits as they
  // are; member names without a "./" prefix, in byte order.
  std::vector<std::string> tar{"tar", "--numeric-owner",  "--sort=name", "-C", rootfs,
                               "-cf", work + "/layer.tar"};
  std::vector<std::string> top;
  for (const auto& entry : fs::directory_iterator(rootfs)) top.push_back(entry.path().filename());
  std::sort(top.begin(), top.end());
  tar.insert(tar.end(), top.begin(), top.end());
  if (!Step(tar)) return false;
  fs::remove_all(rootfs);
  std::string image = work + "/layout:" + kTag;
  oci::Platform host = oci::Platform::Host();
  bool ok = Step({"umoci", "init", "--layout", work + "/layout"}) &&
            Step({"umoci", "new", "--image", image}) &&
            Step({"umoci", "raw", "add-layer", "--image", image, "--history.created_by",
                  "debootstrap --variant=minbase bookworm (plinth tests)", work + "/layer.tar"}) &&
            Step({"umoci", "config", "--image", image, "--os", host.os, "--architecture",
                  host.architecture, "--config.env",
                  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                  "--config.cmd", "bash"}) &&
            Step({"umoci", "gc", "--layout", work + "/layout"});
  fs::remove(work + "/layer.tar");
  return ok;
}

// The layout, made if needed, while `lock` holds the cache (so no other test replaces it while
// the caller reads it).
std::string EnsureLayout(std::optional<FileLock>& lock) {
  std::string root = CacheRoot();
  std::string layout = root + "/layout";
  std::error_code ec;
  fs::create_directories(root, ec);
  auto acquired = FileLock::Acquire(root + "/.lock");
  if (!acquired) {
    ADD_FAILURE() << "locking " << root << ": " << acquired.error().ToString();
    return "";
  }
  lock.emplace(std::move(*acquired));
  if (Fresh(layout)) return layout;
  std::string debs = TestDebCache() + "/debootstrap";
  fs::create_directories(debs, ec);
  std::string work = root + "/.building-" + std::to_string(getpid());
  fs::remove_all(work, ec);
  fs::create_directories(work, ec);
  bool built = Build(work, debs);
  if (built) {
    fs::remove_all(layout, ec);
    fs::rename(work + "/layout", layout, ec);
    if (ec) {
      ADD_FAILURE() << "making the Debian base: renaming it into " << layout << ": "
                    << ec.message();
      built = false;
    }
  }
  fs::remove_all(work, ec);
  return built ? layout : "";
}

}  // namespace

std::string DebianBaseLayout() {
  std::optional<FileLock> lock;
  return EnsureLayout(lock);
}

void PutDebianBaseInStore(const std::string& store) {
  std::optional<FileLock> lock;
  std::string layout = EnsureLayout(lock);
  ASSERT_FALSE(layout.empty());
  auto r = RunPlinth({"--store", store, "copy", "oci:" + layout + ":" + kTag,
                      std::string("store:") + kDebianBaseName});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

void WriteRunFleet(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::copy(SourceDir() + "/tests/e2e/run_fixtures", dir, fs::copy_options::recursive, ec);
  ASSERT_FALSE(ec) << "copying the RUN fixtures to " << dir << ": " << ec.message();
  PutDebianBaseInStore(dir + "/.plinth/store");
}

}  // namespace plinth::testing
