#include "support/test_env.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <unistd.h>
#include <filesystem>

#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::testing {

std::string SourceDir() { return PLINTH_TEST_SOURCE_DIR; }
std::string SharedDir() {
  if (const char* env = std::getenv("PLINTH_SHARED_DIR"); env && *env) return env;
  return std::string(PLINTH_TEST_SOURCE_DIR) + "/../shared";
}

ScratchDir::ScratchDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/plinth-test.XXXXXX";
  if (!mkdtemp(templ.data())) std::abort();
  path_ = templ;
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

}  // namespace plinth::testing
