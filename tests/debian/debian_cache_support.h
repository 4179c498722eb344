// Where tests keep real Debian downloads between runs: $PLINTH_TEST_DEB_CACHE, else
// $HOME/.cache/plinth-test-debs. apt lists and .debs land there once; reruns are offline-fast.
#pragma once

#include <string>

namespace plinth::debian::testing {

std::string TestDebCache();

}  // namespace plinth::debian::testing
