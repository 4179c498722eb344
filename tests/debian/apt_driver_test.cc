// AptDriver's index as a reader sees it, without the network: lists written by hand into the
// driver's folder stand for what `apt-get update` fetched. A missing, empty or half-written
// index is an error that says so and names the folder to delete; it never reaches the resolver
// as an index that merely lacks base-files.
#include "debian/apt_driver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "debian/release_file.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

constexpr const char* kPackages =
    "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"
    "Filename: pool/main/b/base-files/base-files_12.4+deb12u5_amd64.deb\nSize: 70000\n"
    "SHA256: 1111111111111111111111111111111111111111111111111111111111111111\n\n"
    "Package: netbase\nVersion: 6.4\nArchitecture: all\n"
    "Filename: pool/main/n/netbase/netbase_6.4_all.deb\nSize: 12000\n"
    "SHA256: 2222222222222222222222222222222222222222222222222222222222222222\n";

class AptDriverIndexTest : public ::testing::Test {
 protected:
  AptDriverIndexTest()
      : apt_(dir_.path(), {{"http://127.0.0.1:9/debian", "bookworm"}}, "amd64", kDebianKeyring) {}

  std::string Lists() const {
    return apt_.root() + "/lists/127.0.0.1:9_debian_dists_bookworm_main_binary-amd64_Packages";
  }

  // What apt-get update leaves, then what Update records once it succeeded.
  void Fetched(const std::string& packages) {
    testing::WriteTestFile(Lists(), packages);
    auto sealed = apt_.SealLists();
    ASSERT_TRUE(sealed.ok()) << sealed.error().ToString();
  }

  void ExpectUnreadable(const std::string& cause) {
    auto index = apt_.LoadIndex();
    ASSERT_FALSE(index.ok());
    const std::string& m = index.error().message();
    EXPECT_EQ(m.find("the package index for bookworm/amd64 could not be read: "), 0u) << m;
    EXPECT_NE(m.find(cause), std::string::npos) << m;
    EXPECT_NE(m.find("; run again, or delete " + apt_.root()), std::string::npos) << m;
  }

  testing::ScratchDir dir_;
  AptDriver apt_;
};

TEST_F(AptDriverIndexTest, CompleteIndexLoads) {
  Fetched(kPackages);
  auto index = apt_.LoadIndex();
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ(index->size(), 2u);
  EXPECT_NE(index->Versions("base-files"), nullptr);
  auto files = apt_.PackagesFiles();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(*files, std::vector<std::string>{Lists()});
}

TEST_F(AptDriverIndexTest, MissingIndexSaysNoCompleteIndexWasFetched) {
  ExpectUnreadable("no complete index was fetched");
}

TEST_F(AptDriverIndexTest, ListsOfAnUpdateThatStoppedHalfWayAreNotAnIndex) {
  // apt-get update renamed one Packages file into place, then was killed: nothing recorded.
  testing::WriteTestFile(Lists(), kPackages);
  ExpectUnreadable("no complete index was fetched");
}

TEST_F(AptDriverIndexTest, HalfWrittenPackagesFileIsNamed) {
  Fetched(kPackages);
  std::string text = kPackages;
  testing::WriteTestFile(Lists(), text.substr(0, text.size() / 2));
  ExpectUnreadable("half-written");
}

TEST_F(AptDriverIndexTest, EmptyPackagesFileIsNamed) {
  Fetched("");
  ExpectUnreadable("_Packages is empty");
}

TEST_F(AptDriverIndexTest, RemovedPackagesFileIsNamed) {
  Fetched(kPackages);
  ASSERT_EQ(unlink(Lists().c_str()), 0);
  ExpectUnreadable("_Packages is missing");
}

TEST_F(AptDriverIndexTest, IndexWithoutPackagesForTheArchitectureIsUnreadable) {
  Fetched("Package: base-files\nVersion: 1\nArchitecture: arm64\n");
  ExpectUnreadable("list no package for amd64");
}

TEST_F(AptDriverIndexTest, RecordNamingAFileOutsideTheListsIsRefused) {
  Fetched(kPackages);
  testing::WriteTestFile(apt_.root() + "/lists.complete", "10 ../../../etc/passwd\n");
  ExpectUnreadable("malformed record");
}

TEST(AptDriverTest, RelativeCacheFolderBecomesAbsolute) {
  // apt-get download runs in another folder: every path handed to apt must be absolute.
  AptDriver apt("relative/cache", {{"http://127.0.0.1:9/debian", "bookworm"}}, "amd64",
                kDebianKeyring);
  ASSERT_FALSE(apt.root().empty());
  EXPECT_EQ(apt.root()[0], '/') << apt.root();
  EXPECT_NE(apt.root().find("/relative/cache/apt/amd64-"), std::string::npos) << apt.root();
  EXPECT_EQ(apt.Name(), "bookworm/amd64");
}

}  // namespace
}  // namespace plinth::debian
