// Inputs the fuzz targets of tests/debian/fuzz/ found, kept in their seed corpora, and what
// plinth must do with them.
#include <gtest/gtest.h>

#include "debian/deb_archive.h"
#include "support/test_env.h"

namespace plinth::debian {
namespace {

std::string SeedPath(const std::string& name) {
  return testing::SourceDir() + "/tests/debian/fuzz/" + name;
}

// A .deb whose data.tar.gz is not gzip: libarchive fails to open it without a message, and
// formatting the null message crashed plinth.
TEST(DebArchiveFuzzRegressionTest, CorruptDataMemberIsAnErrorNamingIt) {
  auto deb = DebArchive::Open(SeedPath("deb-seeds/regression-corrupt-data-gzip.deb"));
  ASSERT_TRUE(deb) << deb.error().ToString();
  Status status =
      deb->ForEachDataEntry([](const TarEntry&, ByteSource&) -> Status { return Ok{}; });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(status.error().message().find("data.tar.gz"), std::string::npos)
      << status.error().message();
}

}  // namespace
}  // namespace plinth::debian
