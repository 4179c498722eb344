// ElfScanner: machine, class, interpreter, DT_NEEDED and DT_RUNPATH of ELF files fed in pieces of
// any size, both byte orders and classes; tables beyond what it keeps are a note, not a guess;
// anything that is not ELF is not.
#include "audit/elf_scanner.h"

#include <gtest/gtest.h>

#include "audit/elf_support.h"

namespace plinth::audit {
namespace {

using testing::ElfSpec;
using testing::MakeElf;

std::optional<ElfInfo> Scan(const std::string& bytes, size_t piece) {
  ElfScanner scanner;
  for (size_t at = 0; at < bytes.size(); at += piece)
    scanner.Feed(bytes.data() + at, std::min(piece, bytes.size() - at));
  return scanner.Finish();
}

TEST(ElfScannerTest, ReadsInterpreterLibrariesAndRunpathWhateverThePieces) {
  std::string elf = MakeElf({.machine = testing::kArm64,
                             .interpreter = "/lib/ld-linux-aarch64.so.1",
                             .needed = {"libc.so.6", "libm.so.6"},
                             .runpath = "$ORIGIN/../lib:/opt/lib"});
  for (size_t piece : {size_t{1}, size_t{7}, size_t{64}, size_t{1} << 20}) {
    auto info = Scan(elf, piece);
    ASSERT_TRUE(info) << piece;
    EXPECT_EQ(info->machine, testing::kArm64);
    EXPECT_TRUE(info->is64);
    EXPECT_TRUE(info->dynamic);
    EXPECT_EQ(info->interpreter, "/lib/ld-linux-aarch64.so.1");
    EXPECT_EQ(info->needed, (std::vector<std::string>{"libc.so.6", "libm.so.6"}));
    EXPECT_EQ(info->runpath, (std::vector<std::string>{"$ORIGIN/../lib", "/opt/lib"}));
    EXPECT_EQ(info->note, "") << piece;
  }
}

TEST(ElfScannerTest, ReadsThirtyTwoBitAndBigEndianFiles) {
  auto info = Scan(MakeElf({.machine = 40,
                            .is64 = false,
                            .interpreter = "/lib/ld-linux-armhf.so.3",
                            .needed = {"libc.so.6"}}),
                   100);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->machine, 40u);
  EXPECT_FALSE(info->is64);
  EXPECT_EQ(info->needed, std::vector<std::string>{"libc.so.6"});
  info = Scan(MakeElf({.machine = 22, .big_endian = true, .needed = {"libz.so.1"}}), 33);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->machine, 22u);
  EXPECT_EQ(info->needed, std::vector<std::string>{"libz.so.1"});
}

TEST(ElfScannerTest, AStaticFileHasNoInterpreterNorLibraries) {
  auto info = Scan(MakeElf({.trailer = "BusyBox v1.36.1"}), 4096);
  ASSERT_TRUE(info);
  EXPECT_FALSE(info->dynamic);
  EXPECT_EQ(info->interpreter, "");
  EXPECT_TRUE(info->needed.empty());
}

TEST(ElfScannerTest, ADynamicSectionFarIntoALargeFileIsStillRead) {
  // As in a large program: the string table near the start, the dynamic section (in the data
  // segment) past the prefix the scanner keeps; it is captured as it streams by.
  auto info = Scan(MakeElf({.interpreter = "/lib64/ld-linux-x86-64.so.2",
                            .needed = {"libc.so.6"},
                            .padding_before_dynamic = ElfScanner::kPrefixBytes + 12345}),
                   1 << 16);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->needed, std::vector<std::string>{"libc.so.6"});
  EXPECT_EQ(info->note, "");
}

TEST(ElfScannerTest, AStringTableAlreadyPassedAndNotKeptIsANote) {
  auto info = Scan(
      MakeElf({.needed = {"libc.so.6"}, .padding_before_tables = ElfScanner::kPrefixBytes + 12345}),
      1 << 16);
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->needed.empty());
  EXPECT_NE(info->note.find("string table"), std::string::npos) << info->note;
}

TEST(ElfScannerTest, ATruncatedFileIsANoteNotAGuess) {
  std::string elf =
      MakeElf({.interpreter = "/lib64/ld-linux-x86-64.so.2", .needed = {"libc.so.6"}});
  auto info = Scan(elf.substr(0, elf.size() - 20), 64);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->machine, testing::kAmd64);
  EXPECT_TRUE(info->needed.empty());
  EXPECT_NE(info->note, "");
}

TEST(ElfScannerTest, OtherFilesAreNotElf) {
  EXPECT_FALSE(Scan("#!/bin/sh\necho hello, this is long enough\n", 5));
  EXPECT_FALSE(
      Scan("\x7f"
           "EL",
           5));
  EXPECT_FALSE(Scan("", 5));
  // Hostile offsets: program headers said to lie far away.
  std::string elf = MakeElf({.needed = {"libc.so.6"}});
  elf[32] = '\xff';
  elf[37] = '\x7f';
  auto info = Scan(elf, 64);
  ASSERT_TRUE(info);
  EXPECT_NE(info->note, "");
}

}  // namespace
}  // namespace plinth::audit
