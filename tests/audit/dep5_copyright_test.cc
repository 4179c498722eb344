// Licences from DEP-5 copyright files: Files paragraphs' short names mapped to SPDX ids,
// expressions split, exceptions left out, unknown names as LicenseRef, non-DEP-5 files unknown.
#include "audit/dep5_copyright.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace plinth::audit {
namespace {

using ::testing::ElementsAre;

constexpr const char* kZlibLike =
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: example\n"
    "Source: https://example.invalid\n"
    "\n"
    "Files: *\n"
    "Copyright: 1995-2022 Someone\n"
    "License: GPL-2+ or Artistic\n"
    "\n"
    "Files: debian/*\n"
    "Copyright: 2020 Debian\n"
    "License: LGPL-2.1+ with OpenSSL exception\n"
    "\n"
    "Files: contrib/*\n"
    "Copyright: 2020 Someone Else\n"
    "License: Expat, BSD-3-clause\n"
    "\n"
    "Files: weird/*\n"
    "Copyright: 2020 Somebody\n"
    "License: Custom licence 1\n"
    "\n"
    "License: GPL-2+\n"
    " This program is free software; you can redistribute it\n"
    " .\n"
    " On Debian systems, see /usr/share/common-licenses/GPL-2.\n"
    "\n"
    "License: Unused-In-Files\n"
    " text\n";

TEST(Dep5CopyrightTest, FilesParagraphsLicencesAsSpdxIds) {
  auto ids = Dep5Licenses(kZlibLike);
  ASSERT_TRUE(ids);
  EXPECT_THAT(*ids, ElementsAre("Artistic-1.0-Perl", "BSD-3-Clause", "GPL-2.0-or-later",
                                "LGPL-2.1-or-later", "LicenseRef-Custom", "MIT"));
}

TEST(Dep5CopyrightTest, NotDep5IsUnknown) {
  EXPECT_FALSE(Dep5Licenses("This is the Debian prepackaged version of zlib.\n\nCopyright: x\n"));
  EXPECT_FALSE(Dep5Licenses("Format: something else\n\nFiles: *\nLicense: MIT\n"));
  EXPECT_FALSE(Dep5Licenses(""));
  std::string huge = std::string(kZlibLike) + std::string(kMaxCopyrightFile, ' ');
  EXPECT_FALSE(Dep5Licenses(huge));
}

TEST(Dep5CopyrightTest, CommonDebianNamesMapToSpdx) {
  EXPECT_EQ(SpdxLicenseId("GPL-2"), "GPL-2.0-only");
  EXPECT_EQ(SpdxLicenseId("GPL-3+"), "GPL-3.0-or-later");
  EXPECT_EQ(SpdxLicenseId("lgpl-2.1"), "LGPL-2.1-only");
  EXPECT_EQ(SpdxLicenseId("Apache-2.0"), "Apache-2.0");
  EXPECT_EQ(SpdxLicenseId("Zlib"), "Zlib");
  EXPECT_EQ(SpdxLicenseId("zlib"), "Zlib");
  EXPECT_EQ(SpdxLicenseId("MIT"), "MIT");
  EXPECT_EQ(SpdxLicenseId("public-domain"), "LicenseRef-public-domain");
  EXPECT_EQ(SpdxLicenseId("Sun/permissive"), "LicenseRef-Sun-permissive");
  EXPECT_TRUE(IsLicenseRef(SpdxLicenseId("other")));
  EXPECT_FALSE(IsLicenseRef("GPL-2.0-only"));
}

}  // namespace
}  // namespace plinth::audit
