// Debian text plinth reads from the repository and from mirrors (plinth.lock, recipes, Packages
// indexes, Release files) may be hostile: every bad value is an error naming the file, the
// line and the field, never an exception that aborts plinth (issue 12).
#include <unistd.h>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "debian/control_file.h"
#include "debian/lock_file.h"
#include "debian/package_index.h"
#include "debian/recipe.h"
#include "debian/release_file.h"
#include "support/test_env.h"

namespace plinth::debian {
namespace {

const std::string kHex(64, 'a');

std::string LockWithSize(const std::string& size) {
  return "plinth-lock 1\n[base/amd64] inputs=" + kHex + "\nbase-files 12.4 amd64 sha256:" + kHex +
         " " + size + " pool/main/b/base-files.deb\n";
}

TEST(LockFileBoundsTest, SizeBeyond64BitsIsAnErrorAtTheField) {
  auto lock = LockFile::Parse(LockWithSize("99999999999999999999999"), "plinth.lock");
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(lock.error().location().file, "plinth.lock");
  EXPECT_EQ(lock.error().location().line, 3);
  // The column of the size, the fifth field.
  const std::string line = "base-files 12.4 amd64 sha256:" + kHex + " ";
  EXPECT_EQ(lock.error().location().column, static_cast<int>(line.size()) + 1);
  EXPECT_NE(lock.error().message().find("size"), std::string::npos) << lock.error().message();
}

TEST(LockFileBoundsTest, SizesUpTo2To64Minus1AreRead) {
  auto max = LockFile::Parse(LockWithSize("18446744073709551615"), "plinth.lock");
  ASSERT_TRUE(max) << max.error().ToString();
  EXPECT_EQ(max->Find("base", "amd64")->packages.at(0).size, 18446744073709551615ull);
  EXPECT_FALSE(LockFile::Parse(LockWithSize("18446744073709551616"), "plinth.lock"));
  EXPECT_FALSE(LockFile::Parse(LockWithSize("-1"), "plinth.lock"));
  EXPECT_FALSE(LockFile::Parse(LockWithSize("0x10"), "plinth.lock"));
}

TEST(LockFileBoundsTest, ALockThatIsNotARegularFileOrTooLargeIsRefusedUnread) {
  testing::ScratchDir dir;
  ASSERT_EQ(symlink("/dev/zero", (dir / "zero.lock").c_str()), 0);  // read forever before
  auto zero = LockFile::Load(dir / "zero.lock");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().ToString().find("not a regular file"), std::string::npos)
      << zero.error().ToString();
  testing::WriteTestFile(dir / "big.lock", "plinth-lock 1\n");
  ASSERT_EQ(truncate((dir / "big.lock").c_str(), static_cast<off_t>(kMaxLockFileSize + 1)), 0);
  auto big = LockFile::Load(dir / "big.lock");
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().ToString().find("larger than 64 MiB"), std::string::npos)
      << big.error().ToString();
}

TEST(ControlNumberTest, OnlyDecimalsThatFitIn64Bits) {
  EXPECT_EQ(ParseDecimalU64("0"), 0u);
  EXPECT_EQ(ParseDecimalU64("18446744073709551615"), 18446744073709551615ull);
  EXPECT_EQ(ParseDecimalU64("18446744073709551616"), std::nullopt);
  EXPECT_EQ(ParseDecimalU64("000000000000000000001"), std::nullopt);  // 21 digits
  for (const char* bad : {"", "+1", "-1", " 1", "1 ", "1e3", "12a"})
    EXPECT_EQ(ParseDecimalU64(bad), std::nullopt) << bad;
}

TEST(PackageIndexBoundsTest, BadSizeIsAnErrorAtItsLine) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Packages",
                         "Package: hello\nVersion: 1.0\nArchitecture: amd64\n"
                         "Filename: pool/h/hello.deb\nSize: 99999999999999999999999\n"
                         "SHA256: " + kHex + "\n");
  PackageIndex index("amd64");
  Status loaded = index.LoadFile(dir / "Packages");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().location().file, dir / "Packages");
  EXPECT_EQ(loaded.error().location().line, 5);
  EXPECT_NE(loaded.error().message().find("Size"), std::string::npos) << loaded.error().message();
}

TEST(ReleaseFileBoundsTest, BadSizeIsAnErrorAtTheSha256Field) {
  auto release = ReleaseFile::Parse("Suite: stable\nCodename: bookworm\nSHA256:\n " + kHex +
                                        " 12x main/binary-amd64/Packages\n",
                                    "Release");
  ASSERT_FALSE(release);
  EXPECT_EQ(release.error().location().line, 3);
  EXPECT_NE(release.error().message().find("SHA256"), std::string::npos)
      << release.error().message();
}

Result<Recipe> RecipeWith(const std::string& extra) {
  return ParseRecipe(YAML::Load("name: t\nsuite: bookworm\npackages: [hello]\n" + extra), "t.yaml");
}

TEST(RecipeBoundsTest, ModeThatIsNotOctalIsAnErrorAtTheField) {
  // std::stoul("9", 8) threw std::invalid_argument through plinth.
  auto recipe = RecipeWith("files:\n  - {path: /x, content: a, mode: \"9\"}\n");
  ASSERT_FALSE(recipe);
  EXPECT_EQ(recipe.error().location().line, 5);
  EXPECT_NE(recipe.error().message().find("'mode'"), std::string::npos) << recipe.error().message();
  // "0999" read as octal 0 before.
  EXPECT_FALSE(RecipeWith("files:\n  - {path: /x, content: a, mode: \"0999\"}\n"));
  auto ok = RecipeWith("files:\n  - {path: /x, content: a, mode: \"0640\"}\n");
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->files.back().mode, 0640u);
}

TEST(RecipeBoundsTest, KeysThatAreNotStringsAreErrors) {
  for (const char* bad : {"env: {[a]: x}\n", "labels: {{a: b}: x}\n", "{a: b}: x\n"}) {
    auto recipe = RecipeWith(bad);
    ASSERT_FALSE(recipe) << bad;
    EXPECT_EQ(recipe.error().location().line, 4) << bad;
    EXPECT_NE(recipe.error().message().find("must be strings"), std::string::npos)
        << recipe.error().message();
  }
}

TEST(RecipeBoundsTest, ARecipeFileLargerThanTheLimitIsRefusedUnread) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "big.yaml", "name: t\n");
  ASSERT_EQ(truncate((dir / "big.yaml").c_str(), static_cast<off_t>(kMaxRecipeSize + 1)), 0);
  auto recipe = LoadRecipeFile(dir / "big.yaml");
  ASSERT_FALSE(recipe);
  EXPECT_EQ(recipe.error().location().file, dir / "big.yaml");
  EXPECT_NE(recipe.error().message().find("larger than 1 MiB"), std::string::npos)
      << recipe.error().ToString();
}

TEST(RecipeBoundsTest, IdsBeyondTheirRangeAreErrors) {
  EXPECT_FALSE(RecipeWith("users: [{name: a, uid: \"99999999999\"}]\n"));
  EXPECT_FALSE(RecipeWith("users: [{name: a, uid: \"4294967295\"}]\n"));
  auto ok = RecipeWith("users: [{name: a, uid: \"4294967294\"}]\n");
  ASSERT_TRUE(ok) << ok.error().ToString();
}

}  // namespace
}  // namespace plinth::debian
