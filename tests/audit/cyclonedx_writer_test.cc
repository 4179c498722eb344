// CycloneDX 1.5 JSON: valid against the official schema (vendored from
// @cyclonedx/cyclonedx-library), the image as the metadata component, packages with purls as
// bom-refs, licences by id or name, source as a property, unowned files with hashes, a
// deterministic serial number.
#include "audit/cyclonedx_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sbom_sample_support.h"
#include "support/sbom_schema.h"

namespace plinth::audit {
namespace {

using nlohmann::json;

TEST(CycloneDxWriterTest, ValidatesAgainstTheCycloneDx15Schema) {
  std::string text = WriteCycloneDxJson(testing::SampleSbom());
  auto good = testing::ValidateCycloneDx15(text);
  ASSERT_TRUE(good.ran);
  EXPECT_EQ(good.exit_code, 0) << good.output << text;
  // The validator is real: a licence id that is not on SPDX's list is refused.
  auto doc = json::parse(text);
  doc["components"][0]["licenses"] = json::array({{{"license", {{"id", "GPL-2+"}}}}});
  EXPECT_NE(testing::ValidateCycloneDx15(doc.dump()).exit_code, 0);
}

TEST(CycloneDxWriterTest, ComponentsCarryPurlsLicencesAndSources) {
  auto doc = json::parse(WriteCycloneDxJson(testing::SampleSbom()));
  EXPECT_EQ(doc["specVersion"], "1.5");
  EXPECT_EQ(doc["metadata"]["timestamp"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(doc["metadata"]["component"]["type"], "container");
  EXPECT_EQ(doc["metadata"]["component"]["version"], "sha256:" + std::string(64, 'a'));
  const auto& components = doc["components"];
  ASSERT_EQ(components.size(), 7u);  // 5 packages, 2 files
  EXPECT_EQ(components[0]["name"], "libc6");
  EXPECT_EQ(components[0]["purl"],
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12");
  EXPECT_FALSE(components[0].contains("licenses"));
  const auto& ssl = components[3];
  EXPECT_EQ(ssl["name"], "libssl3");
  EXPECT_EQ(ssl["licenses"][0]["license"]["id"], "Apache-2.0");
  EXPECT_EQ(ssl["licenses"][1]["license"]["name"], "public-domain");
  EXPECT_EQ(ssl["properties"][0], json({{"name", "plinth:deb:source"}, {"value", "openssl"}}));
  const auto& gcc = components[2];
  EXPECT_EQ(gcc["properties"][1],
            json({{"name", "plinth:deb:source-version"}, {"value", "12.2.0-14"}}));
  EXPECT_EQ(components[5]["type"], "file");
  EXPECT_EQ(components[5]["name"], "/app/main.py");
  EXPECT_EQ(components[5]["hashes"][0]["content"], std::string(64, 'b'));
  EXPECT_EQ(doc["dependencies"][0]["dependsOn"].size(), 7u);
}

TEST(CycloneDxWriterTest, SerialNumberIsAStableUuid) {
  auto a = json::parse(WriteCycloneDxJson(testing::SampleSbom()));
  auto b = json::parse(WriteCycloneDxJson(testing::SampleSbom()));
  EXPECT_EQ(a["serialNumber"], b["serialNumber"]);
  EXPECT_THAT(a["serialNumber"].get<std::string>(),
              ::testing::MatchesRegex(
                  "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

}  // namespace
}  // namespace plinth::audit

namespace plinth::audit {
namespace {

TEST(CycloneDxWriterTest, NamesThatAreNotUtf8StillGiveValidJson) {
  auto document = testing::SampleSbom();
  document.packages[0].name = "bad\xff\xfe";
  document.packages[0].licenses = {"LicenseRef-\xff"};
  document.unowned_files[0].path = "app/\xc3";
  auto text = WriteCycloneDxJson(document);
  EXPECT_FALSE(nlohmann::json::parse(text, nullptr, false).is_discarded());
  auto valid = testing::ValidateCycloneDx15(text);
  EXPECT_EQ(valid.exit_code, 0) << valid.output;
}

}  // namespace
}  // namespace plinth::audit
