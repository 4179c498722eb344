// Inputs the fuzz target of tests/fleet/fuzz/ found, kept in its seed corpus, and what plinth
// must do with them.
#include <gtest/gtest.h>

#include "fleet/manifest_loader.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::fleet {
namespace {

std::string Seed(const std::string& name) {
  auto text = ReadFile(testing::SourceDir() + "/tests/fleet/fuzz/manifest-seeds/" + name);
  EXPECT_TRUE(text) << name;
  return text ? *text : "";
}

// Every plinth.yaml read its keys through a reference into a temporary of yaml-cpp's iterator
// (stack-use-after-scope). Only a sanitized build (-DPLINTH_SANITIZE=ON, or the fuzz target,
// which starts from these seeds) sees the bad read; here the manifests must load as before.
TEST(ManifestLoaderFuzzRegressionTest, KeysOfEveryMapAreChecked) {
  for (const char* name : {"lucid.yaml", "lucid-legacy.yaml", "loader-test.yaml", "small.yaml"}) {
    auto fleet = LoadFleetFromString(Seed(name), "plinth.yaml", FileChecks::kSkipFileChecks);
    EXPECT_TRUE(fleet) << name << ": " << fleet.error().ToString();
  }
  auto typo = LoadFleetFromString(Seed("small.yaml") + "servies: {}\n", "plinth.yaml",
                                  FileChecks::kSkipFileChecks);
  ASSERT_FALSE(typo);
  EXPECT_NE(typo.error().ToString().find("unknown key \"servies\""), std::string::npos)
      << typo.error().ToString();
}

}  // namespace
}  // namespace plinth::fleet
