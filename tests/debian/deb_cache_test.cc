// DebCache: adoption only of matching bytes, verification of what is cached, and the writers'
// lock clearing what a killed writer left behind.
#include "debian/deb_cache.h"

#include <gtest/gtest.h>

#include "support/test_env.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::debian {
namespace {

class DebCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cache = DebCache::Open(dir_ / "debs");
    ASSERT_TRUE(cache.ok()) << cache.error().ToString();
    cache_.emplace(std::move(*cache));
  }

  // Adopts `content` as a downloaded package; returns its sha256.
  std::string AdoptContent(const std::string& content) {
    std::string sha = Sha256::HexOf(content);
    std::string file = cache_->tmp_dir() + "/download";
    testing::WriteTestFile(file, content);
    auto adopted = cache_->Adopt(file, sha, "hello 1.0 (amd64)");
    EXPECT_TRUE(adopted.ok()) << adopted.error().ToString();
    return sha;
  }

  testing::ScratchDir dir_;
  std::optional<DebCache> cache_;
};

TEST_F(DebCacheTest, AdoptedPackagesVerify) {
  std::string a = AdoptContent("first package");
  std::string b = AdoptContent("second package");
  EXPECT_TRUE(cache_->Has(a));
  EXPECT_TRUE(cache_->Has(b));
  EXPECT_FALSE(PathExists(cache_->tmp_dir() + "/download"));
  auto verified = cache_->Verify();
  ASSERT_TRUE(verified.ok()) << verified.error().ToString();
  EXPECT_EQ(*verified, 2u);
}

TEST_F(DebCacheTest, MismatchIsRefusedAndRemoved) {
  std::string file = cache_->tmp_dir() + "/download";
  testing::WriteTestFile(file, "tampered");
  auto adopted = cache_->Adopt(file, std::string(64, '0'), "netbase 6.4 (all)");
  ASSERT_FALSE(adopted.ok());
  EXPECT_EQ(adopted.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(adopted.error().message().find("package netbase 6.4 (all): sha256 mismatch"),
            std::string::npos);
  EXPECT_FALSE(cache_->Has(std::string(64, '0')));
  EXPECT_FALSE(PathExists(file));
}

TEST_F(DebCacheTest, VerifyNamesDamagedAndStrayFiles) {
  std::string good = AdoptContent("good package");
  std::string bad = AdoptContent("package damaged later");
  testing::WriteTestFile(cache_->PathFor(bad), "damaged");
  testing::WriteTestFile(cache_->dir() + "/sha256/stray.deb", "x");
  auto verified = cache_->Verify();
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().kind(), ErrorKind::kIntegrity);
  const std::string& m = verified.error().message();
  EXPECT_NE(m.find(cache_->PathFor(bad) + ": content has sha256 " + Sha256::HexOf("damaged")),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("stray.deb: not named <sha256>.deb"), std::string::npos) << m;
  EXPECT_EQ(m.find(good), std::string::npos) << m;
}

TEST_F(DebCacheTest, WritersLockClearsWhatAKilledWriterLeft) {
  testing::WriteTestFile(cache_->tmp_dir() + "/download-abc123/netbase_6.4_all.deb", "partial");
  testing::WriteTestFile(cache_->tmp_dir() + "/hello.deb.4242", "partial");
  auto lock = cache_->LockForWriting();
  ASSERT_TRUE(lock.ok()) << lock.error().ToString();
  EXPECT_FALSE(PathExists(cache_->tmp_dir() + "/download-abc123"));
  EXPECT_FALSE(PathExists(cache_->tmp_dir() + "/hello.deb.4242"));
  EXPECT_TRUE(IsDirectory(cache_->tmp_dir()));
}

}  // namespace
}  // namespace plinth::debian
