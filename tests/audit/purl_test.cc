// Package URLs: Debian packages with arch and distro qualifiers in canonical order, components
// percent-encoded (epoch colon, '+', '~' kept), and the image's pkg:oci purl.
#include "audit/purl.h"

#include <gtest/gtest.h>

namespace plinth::audit {
namespace {

TEST(PurlTest, DebianPackageWithQualifiers) {
  ImagePackage p{.name = "libssl3", .version = "3.0.15-1~deb12u1", .architecture = "arm64"};
  EXPECT_EQ(DebianPurl(p, "debian-12"),
            "pkg:deb/debian/libssl3@3.0.15-1~deb12u1?arch=arm64&distro=debian-12");
}

TEST(PurlTest, EpochAndPlusArePercentEncoded) {
  ImagePackage p{.name = "zlib1g", .version = "1:1.2.13.dfsg-1+b1", .architecture = "amd64"};
  EXPECT_EQ(DebianPurl(p, "debian-12"),
            "pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1%2Bb1?arch=amd64&distro=debian-12");
  ImagePackage plus{.name = "libstdc++6", .version = "12.2.0-14"};
  EXPECT_EQ(DebianPurl(plus, ""), "pkg:deb/debian/libstdc%2B%2B6@12.2.0-14");
}

TEST(PurlTest, ImagePurlNamesTheLastComponentAndTheDigest) {
  EXPECT_EQ(OciPurl("lucid/Python:3.11", "sha256:ab12"), "pkg:oci/python@sha256%3Aab12");
  EXPECT_EQ(OciPurl("", "sha256:ab12"), "pkg:oci/image@sha256%3Aab12");
}

TEST(PurlTest, PercentEncodeLeavesOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("a-Z_0.~ /?#&=é"), "a-Z_0.~%20%2F%3F%23%26%3D%C3%A9");
}

}  // namespace
}  // namespace plinth::audit
