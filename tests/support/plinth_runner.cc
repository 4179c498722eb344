#include "support/plinth_runner.h"

#include <cstdlib>
#include <filesystem>

#include "support/test_env.h"

namespace plinth::testing {

std::string PlinthBinary() {
  if (const char* env = std::getenv("PLINTH_BIN"); env && *env) return env;
  return std::string(PLINTH_TEST_BINARY_DIR) + "/plinth";
}

SubprocessResult Run(const std::vector<std::string>& argv,
                     const std::map<std::string, std::string>& env, const std::string& cwd) {
  auto r = RunProcess(argv, {.cwd = cwd, .env = env});
  if (!r.ok()) {
    SubprocessResult failed;
    failed.exit_code = 127;
    failed.err = r.error().ToString();
    return failed;
  }
  return *r;
}

SubprocessResult RunPlinth(const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env, const std::string& cwd) {
  std::vector<std::string> argv{PlinthBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv, env, cwd);
}

std::map<std::string, std::string> ContainersEnv(const std::string& root) {
  std::filesystem::create_directories(root + "/storage");
  std::filesystem::create_directories(root + "/run");
  WriteTestFile(root + "/containers.conf",
                "[containers]\n"
                "default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n"
                "[engine]\n"
                "runtime = \"runc\"\n");
  WriteTestFile(root + "/storage.conf",
                "[storage]\n"
                "driver = \"vfs\"\n"
                "graphroot = \"" + root + "/storage\"\n"
                "runroot = \"" + root + "/run\"\n");
  return {{"CONTAINERS_CONF", root + "/containers.conf"},
          {"CONTAINERS_STORAGE_CONF", root + "/storage.conf"}};
}

}  // namespace plinth::testing
