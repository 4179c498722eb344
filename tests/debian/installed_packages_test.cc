#include "debian/installed_packages.h"

#include <gtest/gtest.h>

#include "layer/tar_writer.h"
#include "oci/media_types.h"
#include "support/test_env.h"

namespace plinth::debian {
namespace {

const char* kLibc = "Package: libc6\nVersion: 2.36-9+deb12u9\nArchitecture: amd64\n";
const char* kMawk = "Package: mawk\nVersion: 1.3.4.20200120-3.1\nArchitecture: amd64\nProvides: awk\n";

TEST(StatusRecordsTest, ParsesNamesVersionsAndProvides) {
  auto present = ParseStatusRecords({{"libc6", kLibc}, {"mawk", kMawk}}, "base");
  ASSERT_TRUE(present.ok()) << present.error().ToString();
  ASSERT_EQ(present->size(), 2u);
  EXPECT_EQ((*present)[0].name, "libc6");
  EXPECT_EQ((*present)[0].version.str(), "2.36-9+deb12u9");
  EXPECT_EQ((*present)[1].name, "mawk");
  ASSERT_EQ((*present)[1].provides.size(), 1u);
  EXPECT_EQ((*present)[1].provides[0].name, "awk");
}

TEST(StatusRecordsTest, SkipsPackagesNotInstalled) {
  auto present = ParseStatusRecords(
      {{"gone", "Package: gone\nVersion: 1\nStatus: deinstall ok config-files\n"},
       {"half", "Package: half\nVersion: 1\nStatus: install reinstreq half-installed\n"},
       {"here", "Package: here\nVersion: 1\nStatus: install ok installed\n"}},
      "base");
  ASSERT_TRUE(present.ok()) << present.error().ToString();
  ASSERT_EQ(present->size(), 1u);
  EXPECT_EQ((*present)[0].name, "here");
}

TEST(StatusRecordsTest, ABadVersionNamesTheImageAndRecord) {
  auto present = ParseStatusRecords({{"libc6", "Package: libc6\nVersion: !bad\n"}}, "pickme/base");
  ASSERT_FALSE(present.ok());
  EXPECT_EQ(present.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(present.error().ToString().find("pickme/base:/var/lib/dpkg/status.d/libc6"),
            std::string::npos)
      << present.error().ToString();
}

TEST(StatusRecordsTest, TheDigestFollowsNamesAndVersions) {
  auto a = ParseStatusRecords({{"libc6", kLibc}}, "a");
  auto b = ParseStatusRecords({{"libc6", "Package: libc6\nVersion: 2.36-9+deb12u10\n"}}, "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(InstalledDigest(*a), InstalledDigest(*b));
  EXPECT_EQ(InstalledDigest(*a), InstalledDigest(*ParseStatusRecords({{"x", kLibc}}, "c")));
}

// Layers written as tar files into a scratch store: later layers override and whiteouts remove.
class StatusLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = oci::LayoutStore::Open(dir_ / "store");
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    store_.emplace(std::move(*store));
  }

  oci::Descriptor Layer(const std::vector<std::pair<std::string, std::string>>& files) {
    StringSink sink;
    layer::TarWriter tar(sink);
    for (const auto& [name, content] : files) {
      layer::TarEntry entry;
      entry.name = name;
      entry.size = content.size();
      StringSource source(content);
      EXPECT_TRUE(tar.WriteEntry(entry, &source).ok());
    }
    EXPECT_TRUE(tar.Finish().ok());
    auto blob = store_->PutBlob(sink.str(), std::string(oci::kOciLayerTar));
    EXPECT_TRUE(blob.ok());
    return *blob;
  }

  testing::ScratchDir dir_;
  std::optional<oci::LayoutStore> store_;
};

TEST_F(StatusLayersTest, LaterLayersOverrideAndWhiteoutsRemove) {
  oci::Image image;
  image.layers.push_back(Layer({{"var/lib/dpkg/status.d/libc6", kLibc},
                                {"var/lib/dpkg/status.d/libc6.md5sums", "x  usr/lib/libc.so.6\n"},
                                {"var/lib/dpkg/status.d/mawk", kMawk},
                                {"etc/passwd", "root:x:0:0::/root:/sbin/nologin\n"}}));
  image.layers.push_back(Layer({{"var/lib/dpkg/status.d/.wh.mawk", ""},
                                {"var/lib/dpkg/status.d/zlib1g", "Package: zlib1g\nVersion: 1:1.2.13\n"}}));
  auto records = ReadStatusRecords(*store_, image, "base");
  ASSERT_TRUE(records.ok()) << records.error().ToString();
  std::vector<std::string> names;
  for (const auto& [name, text] : *records) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"libc6", "zlib1g"}));
}

TEST_F(StatusLayersTest, AnOpaqueFolderDropsWhatWasBelow) {
  oci::Image image;
  image.layers.push_back(Layer({{"var/lib/dpkg/status.d/libc6", kLibc}}));
  image.layers.push_back(Layer({{"var/lib/dpkg/status.d/.wh..wh..opq", ""},
                                {"var/lib/dpkg/status.d/mawk", kMawk}}));
  auto records = ReadStatusRecords(*store_, image, "base");
  ASSERT_TRUE(records.ok()) << records.error().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->begin()->first, "mawk");
}

TEST_F(StatusLayersTest, AnOversizedRecordIsRefused) {
  oci::Image image;
  image.layers.push_back(
      Layer({{"var/lib/dpkg/status.d/huge", std::string(kMaxStatusRecord + 1, 'x')}}));
  auto records = ReadStatusRecords(*store_, image, "base");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.error().kind(), ErrorKind::kIntegrity);
}

}  // namespace
}  // namespace plinth::debian
