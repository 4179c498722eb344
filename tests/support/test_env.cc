#include "support/test_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <unistd.h>
#include <filesystem>
#include <random>

#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::testing {

std::string SourceDir() { return PLINTH_TEST_SOURCE_DIR; }
std::string BuildKitParserDataDir() { return SourceDir() + "/tests/dockerfile/data/buildkit-parser"; }

ScratchDir::ScratchDir() {
  // Lower-case names only: podman's oci: transport refuses paths with upper-case letters, which
  // mkdtemp's template would produce.
  const char* base = std::getenv("TMPDIR");
  std::random_device random;
  for (;;) {
    std::string name = "plinth-test.";
    for (int i = 0; i < 10; ++i) name += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
    path_ = std::string(base && *base ? base : "/tmp") + "/" + name;
    if (mkdir(path_.c_str(), 0700) == 0) return;
    if (errno != EEXIST) std::abort();
  }
}

ScratchDir::~ScratchDir() {
  if (!std::getenv("PLINTH_KEEP_TEST_DIRS")) (void)RemoveAll(path_);
}

void WriteTestFile(const std::string& path, const std::string& content, int mode) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  auto status = WriteFileAtomic(path, content, mode);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  chmod(path.c_str(), mode);
}

std::string TestDebCache() {
  std::string dir;
  if (const char* env = std::getenv("PLINTH_TEST_DEB_CACHE"); env && *env) {
    dir = env;
  } else {
    const char* home = std::getenv("HOME");
    dir = std::string(home && *home ? home : "/tmp") + "/.cache/plinth-test-debs";
  }
  std::filesystem::create_directories(dir);
  return dir;
}

void CopyExampleFleet(const std::string& name, const std::string& to) {
  namespace fs = std::filesystem;
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/examples/" + name))
    if (entry.path().filename() != ".plinth")
      fs::copy(entry.path(), to + "/" + entry.path().filename().string(), fs::copy_options::recursive);
}

}  // namespace plinth::testing
