// The parts of an SBOM read from the image besides packages: the distro from os-release and
// the creation time from the config (or SOURCE_DATE_EPOCH).
#include "audit/sbom_document.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace plinth::audit {
namespace {

TEST(SbomDocumentTest, DistroFromOsRelease) {
  EXPECT_EQ(DistroFromOsRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian "
                                "GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"),
            "debian-12");
  EXPECT_EQ(DistroFromOsRelease("ID=debian\nVERSION_CODENAME=trixie\n"), "debian");
  EXPECT_EQ(DistroFromOsRelease("NAME=x\n"), "");
  EXPECT_EQ(DistroFromOsRelease("ID='De&bian'\r\nVERSION_ID=\"1 2\"\n"), "debian-12");
}

TEST(SbomDocumentTest, TimestampFromConfigElseSourceDateEpoch) {
  EXPECT_EQ(SbomTimestamp("2024-05-01T12:00:00.123456Z"), "2024-05-01T12:00:00Z");
  setenv("SOURCE_DATE_EPOCH", "86400", 1);
  EXPECT_EQ(SbomTimestamp("yesterday"), "1970-01-02T00:00:00Z");
  EXPECT_EQ(SbomTimestamp(""), "1970-01-02T00:00:00Z");
  setenv("SOURCE_DATE_EPOCH", "-5", 1);
  EXPECT_EQ(SbomTimestamp("2024-05-01T12:00:00+02:00"), "1970-01-01T00:00:00Z");
  unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(SbomTimestamp(""), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace plinth::audit
