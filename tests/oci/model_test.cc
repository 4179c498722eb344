#include <gtest/gtest.h>

#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "oci/platform.h"

namespace plinth::oci {
namespace {

TEST(PlatformTest, ParsesAndNormalises) {
  EXPECT_EQ(Platform::Parse("linux/arm64")->str(), "linux/arm64");
  EXPECT_EQ(Platform::Parse("linux/aarch64")->str(), "linux/arm64");
  EXPECT_EQ(Platform::Parse("linux/arm64/v8")->str(), "linux/arm64");
  EXPECT_EQ(Platform::Parse("linux/x86_64")->str(), "linux/amd64");
  EXPECT_EQ(Platform::Parse("linux/arm/v7")->str(), "linux/arm/v7");
  EXPECT_FALSE(Platform::Parse("arm64").ok());
  EXPECT_FALSE(Platform::Parse("linux/sparc").ok());
}

TEST(DigestTest, ParsesOnlyWellFormedDigests) {
  EXPECT_TRUE(Digest::Parse("sha256:" + std::string(64, '0')).ok());
  EXPECT_FALSE(Digest::Parse("sha256:" + std::string(63, '0')).ok());
  EXPECT_FALSE(Digest::Parse("sha256:" + std::string(64, 'A')).ok());
  EXPECT_FALSE(Digest::Parse("md5:abc").ok());
  EXPECT_EQ(Digest::Of("").str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ImageConfigTest, RoundTripsModelledAndUnknownFields) {
  std::string in = R"({"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z",
    "config":{"User":"65532","Env":["PATH=/usr/bin"],"Entrypoint":["/app"],"ExposedPorts":{"8080/tcp":{}},
      "Healthcheck":{"Test":["CMD","/app","health"],"Interval":30000000000},"ArgsEscaped":true},
    "rootfs":{"type":"layers","diff_ids":["sha256:)" + std::string(64, 'b') + R"("]},
    "history":[{"created_by":"COPY . /","empty_layer":false}],"os.version":"x"})";
  auto c = ImageConfig::Parse(in);
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->config.user, "65532");
  EXPECT_EQ(c->config.exposed_ports, std::vector<std::string>{"8080/tcp"});
  EXPECT_EQ(c->config.healthcheck->interval_ns, 30000000000);
  EXPECT_EQ(c->diff_ids.size(), 1u);
  auto again = ImageConfig::Parse(c->ToJsonString());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ToJsonString(), c->ToJsonString());
  EXPECT_NE(c->ToJsonString().find("\"ArgsEscaped\":true"), std::string::npos);
  EXPECT_NE(c->ToJsonString().find("\"os.version\":\"x\""), std::string::npos);
}

TEST(ManifestTest, ParsesDockerSchema2AndRejectsOtherDocuments) {
  std::string d = "sha256:" + std::string(64, 'c');
  std::string docker = R"({"schemaVersion":2,"mediaType":")" + std::string(kDockerManifest) +
                       R"(","config":{"mediaType":")" + std::string(kDockerConfig) +
                       R"(","digest":")" + d + R"(","size":7},"layers":[{"mediaType":")" +
                       std::string(kDockerLayerGzip) + R"(","digest":")" + d + R"(","size":9}]})";
  auto m = Manifest::Parse(docker);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->layers.size(), 1u);
  EXPECT_EQ(m->layers[0].size, 9);
  EXPECT_FALSE(Manifest::Parse(R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndex) +
                               R"(","manifests":[]})")
                   .ok());
  EXPECT_FALSE(Manifest::Parse("not json").ok());
  EXPECT_TRUE(IsIndexType(SniffMediaType(R"({"schemaVersion":2,"manifests":[]})")));
}

TEST(UntrustedDocumentTest, AnIntegerFieldHoldingAnotherNumberIsAnError) {
  // nlohmann converts 5e115 to an int with undefined behaviour (UBSan, found by the manifest
  // fuzz target), and 2.0 to 2: both are refused, as the integers the specs say they are.
  for (const char* doc : {R"({"schemaVersion": 5.5e115, "layers": []})",
                          R"({"schemaVersion": 2.0, "layers": []})",
                          R"({"schemaVersion": 18446744073709551615, "layers": []})"}) {
    auto manifest = Manifest::Parse(doc);
    ASSERT_FALSE(manifest) << doc;
    EXPECT_NE(manifest.error().message().find("'schemaVersion' is not an integer"),
              std::string::npos)
        << manifest.error().ToString();
    EXPECT_FALSE(Index::Parse(doc)) << doc;
  }
  auto config = ImageConfig::Parse(
      R"({"architecture": "amd64", "os": "linux", "config": {"Healthcheck": {"Interval": 1e300}}})");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message().find("'Interval' is not an integer"), std::string::npos);
  EXPECT_FALSE(ImageConfig::Parse(
      R"({"architecture": "amd64", "os": "linux", "config": {"Healthcheck": {"Retries": -1}}})"));
}

}  // namespace
}  // namespace plinth::oci

namespace plinth::oci {
namespace {

// A field of another type than the spec's (found by the manifest fuzz target): an error value,
// not an exception that aborts plinth.
TEST(UntrustedDocumentTest, AFieldOfTheWrongTypeIsAnErrorNotAnAbort) {
  auto manifest = Manifest::Parse(R"({"schemaVersion": 2, "mediaType": {"architecture": "amd64"}})");
  ASSERT_FALSE(manifest);
  EXPECT_NE(manifest.error().ToString().find("wrong type"), std::string::npos);
  EXPECT_FALSE(Index::Parse(R"({"schemaVersion": 2, "mediaType": [1]})"));
}

}  // namespace
}  // namespace plinth::oci
