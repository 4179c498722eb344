// Shared test fixtures: paths of the source tree and of its test data, and a temp folder per test.
#pragma once

#include <string>

namespace plinth::testing {

// The repository root, and BuildKit's parser conformance cases kept in it
// (tests/dockerfile/data/buildkit-parser, with their licence and NOTICE).
std::string SourceDir();
std::string BuildKitParserDataDir();

// A fresh folder for the running test, removed when the object goes.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Copies examples/NAME to `to`, without the store a developer's build may have left in it
// (its unpacked trees hold links that point outside the tree).
void CopyExampleFleet(const std::string& name, const std::string& to);

// Where tests keep real Debian downloads between runs: $PLINTH_TEST_DEB_CACHE, else
// $HOME/.cache/plinth-test-debs (created). apt lists and .debs land there once; reruns are
// offline-fast. scripts/test.sh runs the Debian suites once more with $PLINTH_TEST_DEB_CACHE set
// to an empty folder, so the cold path is tested on every run; suites running at once share it.
std::string TestDebCache();

// Writes a file (creating parent folders); aborts the test on failure.
void WriteTestFile(const std::string& path, const std::string& content, int mode = 0644);

}  // namespace plinth::testing
