#include "layer/tar_header.h"

#include <gtest/gtest.h>

#include "layer/tar_reader.h"
#include "layer/tar_writer.h"
#include "layer/layer_test_support.h"

namespace plinth::layer {
namespace {

TarEntry Entry(std::string name, EntryType type = EntryType::kRegular) {
  TarEntry e;
  e.name = std::move(name);
  e.type = type;
  return e;
}

TEST(TarHeaderTest, ShortAsciiNameNeedsNoPax) {
  std::string header = EncodeTarHeader(Entry("usr/bin/env"));
  ASSERT_EQ(header.size(), 512u);
  EXPECT_EQ(header.substr(0, 11), "usr/bin/env");
  EXPECT_EQ(header.substr(257, 8), std::string("ustar\0" "00", 8));
  EXPECT_EQ(header[156], '0');
}

TEST(TarHeaderTest, LongNameGoesToPaxPath) {
  std::string name(150, 'a');
  std::string records = EncodePaxRecords(Entry(name));
  EXPECT_EQ(records, "160 path=" + name + "\n");  // the length counts its own digits
  std::string header = EncodeTarHeader(Entry(name));
  ASSERT_EQ(header.size(), 3 * 512u);
  EXPECT_EQ(header[156], 'x');
  EXPECT_EQ(header[1024 + 156], '0');
}

TEST(TarHeaderTest, NonAsciiNameGoesToPaxPath) {
  EXPECT_EQ(EncodePaxRecords(Entry("caf\xc3\xa9.txt")), "18 path=caf\xc3\xa9.txt\n");
}

TEST(TarHeaderTest, SizeAbove8GiBGoesToPax) {
  TarEntry e = Entry("big");
  e.size = kMaxOctalSize;
  EXPECT_EQ(EncodePaxRecords(e), "");
  e.size = kMaxOctalSize + 1;  // 8 GiB
  EXPECT_EQ(EncodePaxRecords(e), "19 size=8589934592\n");
  std::string header = EncodeTarHeader(e);
  // The ustar size field holds 0; the PAX record the real size.
  EXPECT_EQ(header.substr(1024 + 124, 12), std::string("00000000000\0", 12));
  auto pax = ParsePaxRecords(header.substr(512, 19));
  ASSERT_TRUE(pax);
  EXPECT_EQ(*pax->size, 8589934592ULL);
}

TEST(TarHeaderTest, LargeIdsAndNegativeTimesGoToPax) {
  TarEntry e = Entry("f");
  e.uid = 1u << 22;
  e.gid = 65532;
  e.mtime = -1;
  EXPECT_EQ(EncodePaxRecords(e), "15 uid=4194304\n12 mtime=-1\n");
}

TEST(TarHeaderTest, OctalAndBase256Fields) {
  char field[12];
  EXPECT_TRUE(FormatOctal(field, 12, 8589934591ULL));
  EXPECT_EQ(std::string(field), "77777777777");
  EXPECT_FALSE(FormatOctal(field, 12, 8589934592ULL));
  EXPECT_EQ(*ParseNumericField(std::string_view("0000644 \0", 9)), 0644u);
  std::string b256("\x80\0\0\0\0\0\0\x02\0\0\0\0", 12);  // GNU base-256: 2 << 32
  EXPECT_EQ(*ParseNumericField(b256), 8589934592ULL);
  EXPECT_FALSE(ParseNumericField("00009"));
}

TEST(TarHeaderTest, ReaderRoundTripsPaxEntries) {
  std::string long_name = std::string(120, 'd') + "/\xe6\x97\xa5\xe6\x9c\xac.txt";
  TarEntry dir = Entry(std::string(120, 'd'), EntryType::kDirectory);
  dir.mode = 0755;
  TarEntry file = Entry(long_name);
  file.mode = 04755;
  file.uid = 65532;
  TarEntry link = Entry("l", EntryType::kSymlink);
  link.link_target = "/" + std::string(200, 't');
  StringSource source(testing::RawTar({dir, file, link}, "content"));
  TarReader reader(source);
  auto e1 = reader.Next();
  ASSERT_TRUE(e1 && *e1);
  EXPECT_EQ((*e1)->name, std::string(120, 'd'));
  EXPECT_EQ((*e1)->type, EntryType::kDirectory);
  auto e2 = reader.Next();
  ASSERT_TRUE(e2 && *e2);
  EXPECT_EQ((*e2)->name, long_name);
  EXPECT_EQ((*e2)->mode, 04755u);
  EXPECT_EQ((*e2)->uid, 65532u);
  char buf[16];
  EXPECT_EQ(*reader.Read(buf, sizeof buf), 7u);
  EXPECT_EQ(std::string(buf, 7), "content");
  auto e3 = reader.Next();
  ASSERT_TRUE(e3 && *e3);
  EXPECT_EQ((*e3)->link_target, link.link_target);
  auto end = reader.Next();
  ASSERT_TRUE(end);
  EXPECT_FALSE(*end);
}

// File capabilities travel as the SCHILY.xattr record docker and buildah write; binary bytes
// (a NUL among them) come back as they went; a record longer than any real one is refused.
TEST(TarHeaderTest, FileCapabilitiesRoundTripAsASchilyXattr) {
  const std::string cap("\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
  TarEntry file = Entry("usr/bin/ping");
  file.mode = 0755;
  file.capability = cap;
  std::string records = EncodePaxRecords(file);
  EXPECT_EQ(records, "57 SCHILY.xattr.security.capability=" + cap + "\n");
  TarEntry folder = Entry("usr", EntryType::kDirectory);
  folder.capability = cap;  // only files carry one
  EXPECT_EQ(EncodePaxRecords(folder), "");

  StringSource source(testing::RawTar({file}, "content"));
  TarReader reader(source);
  auto e = reader.Next();
  ASSERT_TRUE(e && *e) << (e ? "" : e.error().ToString());
  EXPECT_EQ((*e)->capability, cap);

  auto too_long = ParsePaxRecords("108 SCHILY.xattr.security.capability=" + std::string(70, 'x') + "\n");
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message().find("at most 64"), std::string::npos);
  auto other = ParsePaxRecords("29 SCHILY.xattr.user.note=hi\n");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->capability);
}

TEST(TarHeaderTest, WriterRefusesUncleanNames) {
  StringSink sink;
  TarWriter writer(sink);
  EXPECT_FALSE(writer.WriteHeader(Entry("../x")));
  EXPECT_FALSE(writer.WriteHeader(Entry("/abs")));
  EXPECT_FALSE(writer.WriteHeader(Entry("a//b")));
}

}  // namespace
}  // namespace plinth::layer
