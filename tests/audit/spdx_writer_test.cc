// SPDX 2.3 JSON: valid against the official schema (vendored), the image as the described
// CONTAINER, each package with purl, version, source and licences, unowned files with their
// checksums, LicenseRefs declared, and the same bytes for the same document in any order.
#include "audit/spdx_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sbom_sample_support.h"
#include "support/sbom_schema.h"

namespace plinth::audit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json* FindPackage(const json& doc, const std::string& name, const std::string& arch) {
  for (const auto& p : doc["packages"])
    if (p["name"] == name && p["SPDXID"].get<std::string>().ends_with(arch)) return &p;
  return nullptr;
}

TEST(SpdxWriterTest, ValidatesAgainstTheSpdx23Schema) {
  std::string text = WriteSpdxJson(testing::SampleSbom());
  auto good = testing::ValidateSpdx23(text);
  ASSERT_TRUE(good.ran);
  EXPECT_EQ(good.exit_code, 0) << good.output << text;
  // The validator is real: a package without downloadLocation is refused.
  auto doc = json::parse(text);
  doc["packages"][1].erase("downloadLocation");
  EXPECT_NE(testing::ValidateSpdx23(doc.dump()).exit_code, 0);
  // An empty image (no packages, no files) is still a valid document.
  SbomDocument empty;
  empty.manifest_digest = "sha256:" + std::string(64, 'd');
  empty.created = "1970-01-01T00:00:00Z";
  empty.tool_version = "0.1.0";
  auto bare = testing::ValidateSpdx23(WriteSpdxJson(empty));
  EXPECT_EQ(bare.exit_code, 0) << bare.output;
}

TEST(SpdxWriterTest, DescribesTheImageAndItsPackages) {
  auto doc = json::parse(WriteSpdxJson(testing::SampleSbom()));
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(doc["documentDescribes"], json::array({"SPDXRef-Image"}));
  const auto& image = doc["packages"][0];
  EXPECT_EQ(image["primaryPackagePurpose"], "CONTAINER");
  EXPECT_EQ(image["versionInfo"], "sha256:" + std::string(64, 'a'));
  const json* zlib = FindPackage(doc, "zlib1g", "arm64");
  ASSERT_NE(zlib, nullptr);
  EXPECT_EQ((*zlib)["versionInfo"], "1:1.2.13.dfsg-1");
  EXPECT_EQ((*zlib)["externalRefs"][0]["referenceLocator"],
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=arm64&distro=debian-12");
  EXPECT_EQ((*zlib)["licenseDeclared"], "Zlib");
  const json* gcc = FindPackage(doc, "libgcc-s1", "arm64");
  ASSERT_NE(gcc, nullptr);
  EXPECT_EQ((*gcc)["sourceInfo"], "built package from: gcc-12 12.2.0-14");
  const json* ssl = FindPackage(doc, "libssl3", "arm64");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ((*ssl)["licenseDeclared"], "(Apache-2.0 AND LicenseRef-public-domain)");
  EXPECT_EQ(doc["hasExtractedLicensingInfos"][0]["licenseId"], "LicenseRef-public-domain");
  EXPECT_EQ((*FindPackage(doc, "libc6", "amd64"))["licenseDeclared"], "NOASSERTION");
  ASSERT_NE(FindPackage(doc, "libc6", "arm64"), nullptr);
  ASSERT_EQ(doc["files"].size(), 2u);
  EXPECT_EQ(doc["files"][0]["fileName"], "./app/main.py");
  EXPECT_EQ(doc["files"][0]["checksums"][0]["checksumValue"], std::string(64, 'b'));
  EXPECT_THAT(doc["files"][0]["comment"].get<std::string>(), HasSubstr("not owned by any package"));
  // DESCRIBES + 5 packages + 2 files.
  EXPECT_EQ(doc["relationships"].size(), 8u);
}

TEST(SpdxWriterTest, SameDocumentSameBytesWhateverTheOrder) {
  auto a = testing::SampleSbom();
  auto b = a;
  std::reverse(b.packages.begin(), b.packages.end());
  std::reverse(b.unowned_files.begin(), b.unowned_files.end());
  EXPECT_EQ(WriteSpdxJson(a), WriteSpdxJson(b));
  b.manifest_digest = "sha256:" + std::string(64, 'e');
  EXPECT_NE(json::parse(WriteSpdxJson(a))["documentNamespace"],
            json::parse(WriteSpdxJson(b))["documentNamespace"]);
}

}  // namespace
}  // namespace plinth::audit

namespace plinth::audit {
namespace {

// Records come from the image: bytes that are not UTF-8 in a name must not make the writers
// fail (nlohmann's dump throws on them by default); they come out replaced, still valid JSON.
TEST(SpdxWriterTest, NamesThatAreNotUtf8StillGiveValidJson) {
  auto document = testing::SampleSbom();
  document.packages[0].name = "bad\xff\xfe";
  document.unowned_files[0].path = "app/\xc3";
  document.image_name = "img\x80";
  auto spdx = nlohmann::json::parse(WriteSpdxJson(document), nullptr, false);
  EXPECT_FALSE(spdx.is_discarded());
  auto valid = testing::ValidateSpdx23(WriteSpdxJson(document));
  EXPECT_EQ(valid.exit_code, 0) << valid.output;
}

}  // namespace
}  // namespace plinth::audit
