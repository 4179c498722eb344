// Where tests keep real Debian downloads between runs: the one place tests/support/test_env.h
// defines ($PLINTH_TEST_DEB_CACHE, else $HOME/.cache/plinth-test-debs); apt lists and .debs land
// there once; reruns are offline-fast. scripts/test.sh runs these suites once more with
// $PLINTH_TEST_DEB_CACHE set to an empty folder, so the cold path is tested on every run;
// suites running at once share the folder.
#pragma once

#include "support/test_env.h"

namespace plinth::debian::testing {

using plinth::testing::TestDebCache;

}  // namespace plinth::debian::testing
