// Inputs the fuzz targets of tests/oci/fuzz/ found, kept in their seed corpora, and what plinth
// must do with them.
#include <gtest/gtest.h>

#include "oci/reference.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::oci {
namespace {

std::string Seed(const std::string& name) {
  auto text = ReadFile(testing::SourceDir() + "/tests/oci/fuzz/" + name);
  EXPECT_TRUE(text) << name;
  return text ? *text : "";
}

// docker.io/liker.ibe/luci4e was shown as liker.ibe/luci4e:latest, which names the registry
// liker.ibe: the store keeps images under that name, so another registry's image took its place.
TEST(ReferenceFuzzRegressionTest, FamiliarNameOfADottedHubNamespaceParsesBackToItself) {
  auto ref = Reference::Parse(Seed("reference-seeds/regression-dotted-hub-namespace"));
  ASSERT_TRUE(ref) << ref.error().ToString();
  EXPECT_EQ(ref->Familiar(), "docker.io/liker.ibe/luci4e:latest");
  auto again = Reference::Parse(ref->Familiar());
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->str(), ref->str());
  EXPECT_EQ(Reference::Parse("docker.io/localhost/x")->Familiar(), "docker.io/localhost/x:latest");
  EXPECT_EQ(Reference::Parse("docker.io/library/redis")->Familiar(), "redis:latest");
}

}  // namespace
}  // namespace plinth::oci
