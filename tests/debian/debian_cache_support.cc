#include "debian/debian_cache_support.h"

#include <cstdlib>

#include "util/fs.h"

namespace plinth::debian::testing {

std::string TestDebCache() {
  std::string dir;
  if (const char* env = std::getenv("PLINTH_TEST_DEB_CACHE"); env && *env) {
    dir = env;
  } else {
    const char* home = std::getenv("HOME");
    dir = std::string(home && *home ? home : "/tmp") + "/.cache/plinth-test-debs";
  }
  (void)MakeDirs(dir);
  return dir;
}

}  // namespace plinth::debian::testing
