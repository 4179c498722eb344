#include "oci/reference.h"

#include <gtest/gtest.h>

namespace plinth::oci {
namespace {

struct Case {
  const char* in;
  const char* full;
  const char* familiar;
};

TEST(ReferenceTest, NormalisesAsDockerDoes) {
  const Case cases[] = {
      {"redis", "docker.io/library/redis:latest", "redis:latest"},
      {"mongo:7.0", "docker.io/library/mongo:7.0", "mongo:7.0"},
      {"pickme/lucid-api-gateway:latest-arm64", "docker.io/pickme/lucid-api-gateway:latest-arm64",
       "pickme/lucid-api-gateway:latest-arm64"},
      {"gcr.io/distroless/base-debian12", "gcr.io/distroless/base-debian12:latest",
       "gcr.io/distroless/base-debian12:latest"},
      {"localhost:5000/a/b:v1", "localhost:5000/a/b:v1", "localhost:5000/a/b:v1"},
      {"127.0.0.1:5000/x", "127.0.0.1:5000/x:latest", "127.0.0.1:5000/x:latest"},
      {"localhost/x", "localhost/x:latest", "localhost/x:latest"},
      {"index.docker.io/library/redis:7", "docker.io/library/redis:7", "redis:7"},
      {"docker.io/library/a__b.c-d:1.0_x", "docker.io/library/a__b.c-d:1.0_x", "a__b.c-d:1.0_x"},
      {"[::1]:5000/img:t", "[::1]:5000/img:t", "[::1]:5000/img:t"},
  };
  for (const auto& c : cases) {
    auto r = Reference::Parse(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error().ToString();
    EXPECT_EQ(r->str(), c.full) << c.in;
    EXPECT_EQ(r->Familiar(), c.familiar) << c.in;
  }
}

TEST(ReferenceTest, KeepsDigests) {
  std::string hex(64, 'a');
  auto r = Reference::Parse("gcr.io/distroless/static@sha256:" + hex);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has_digest());
  EXPECT_EQ(r->tag(), "");
  EXPECT_EQ(r->str(), "gcr.io/distroless/static@sha256:" + hex);
  auto both = Reference::Parse("redis:7@sha256:" + hex);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->tag(), "7");
  EXPECT_EQ(both->Familiar(), "redis:7@sha256:" + hex);
}

TEST(ReferenceTest, RejectsMalformed) {
  for (const char* bad : {"", "UPPER/case", "a//b", "-a", "a:", "a:-tag", "a@sha256:xyz",
                          "host:port/x", "a/b/", ":tag", "a b"}) {
    auto r = Reference::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidInput);
      EXPECT_NE(r.error().message().find("invalid image reference"), std::string::npos);
    }
  }
  auto upper = Reference::Parse("Pickme/x");
  ASSERT_FALSE(upper.ok());
  EXPECT_NE(upper.error().message().find("lowercase"), std::string::npos);
}

}  // namespace
}  // namespace plinth::oci
