#include "layer/parallel_gzip_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "layer/decompressing_source.h"
#include "layer/layer_stream.h"
#include "layer/layer_test_support.h"
#include "support/test_env.h"
#include "util/sha256.h"

namespace plinth::layer {
namespace {

using plinth::testing::ScratchDir;

// ~5.5 MiB: text-like runs and random bytes, so chunks both compress and do not.
std::string MixedData() {
  std::string data;
  std::mt19937 rng(42);
  while (data.size() < 5'500'000) {
    for (int i = 0; i < 2000; ++i) data += "line " + std::to_string(i % 97) + " of a layer\n";
    for (int i = 0; i < 50000; ++i) data += static_cast<char>(rng());
  }
  return data;
}

std::string Gzip(const std::string& data, int threads, size_t write_size) {
  StringSink out;
  ParallelGzipWriter gz(out, 2, threads);
  for (size_t i = 0; i < data.size(); i += write_size)
    EXPECT_TRUE(gz.Write(data.data() + i, std::min(write_size, data.size() - i)));
  EXPECT_TRUE(gz.Finish());
  return out.str();
}

TEST(ParallelGzipWriterTest, OutputDependsOnlyOnTheInput) {
  std::string data = MixedData();
  std::string one = Gzip(data, 1, 1 << 20);
  EXPECT_EQ(Gzip(data, 4, 1 << 20), one);
  EXPECT_EQ(Gzip(data, 2, 777), one);  // odd write sizes do not move chunk boundaries
}

TEST(ParallelGzipWriterTest, RoundTripsThroughInflate) {
  std::string data = MixedData();
  StringSource blob(Gzip(data, 2, 65536));
  DetectedCompression kind;
  auto plain = OpenDecompressed(blob, &kind);
  ASSERT_TRUE(plain);
  EXPECT_EQ(kind, DetectedCompression::kGzip);
  std::string back;
  char buf[65536];
  for (;;) {
    auto n = (*plain)->Read(buf, sizeof buf);
    ASSERT_TRUE(n) << n.error().ToString();
    if (*n == 0) break;
    back.append(buf, *n);
  }
  EXPECT_EQ(back.size(), data.size());
  EXPECT_TRUE(back == data);
}

TEST(ParallelGzipWriterTest, EmptyInputIsAValidGzip) {
  StringSource blob(Gzip("", 2, 1));
  auto plain = OpenDecompressed(blob);
  ASSERT_TRUE(plain);
  char c;
  auto n = (*plain)->Read(&c, 1);
  ASSERT_TRUE(n) << n.error().ToString();
  EXPECT_EQ(*n, 0u);
}

std::string Inflate(const std::string& gz) {
  StringSource blob(gz);
  auto plain = OpenDecompressed(blob);
  EXPECT_TRUE(plain);
  if (!plain) return "";
  std::string back;
  char buf[65536];
  for (;;) {
    auto n = (*plain)->Read(buf, sizeof buf);
    EXPECT_TRUE(n) << n.error().ToString();
    if (!n || *n == 0) break;
    back.append(buf, *n);
  }
  return back;
}

std::string RandomBytes(size_t size, unsigned seed) {
  std::string data(size, '\0');
  std::mt19937 rng(seed);
  for (char& c : data) c = static_cast<char>(rng());
  return data;
}

// Random chunks go out as stored blocks (5 bytes of header per 64 KiB), text around them is
// still deflated, and gzip -d (an independent inflater) reads the whole stream back.
TEST(ParallelGzipWriterTest, RandomChunksAreStoredAndTextStillShrinks) {
  std::string text;
  for (int i = 0; text.size() < 3 * ParallelGzipWriter::kChunkSize; ++i)
    text += "def function_" + std::to_string(i % 500) + "(self): return " + std::to_string(i) + "\n";
  std::string random = RandomBytes(4 * ParallelGzipWriter::kChunkSize, 7);
  std::string data = text + random + text.substr(0, 100000);  // the last chunk is short

  std::string gz = Gzip(data, 2, 1 << 16);
  size_t blocks = random.size() / 65535 + 8;
  EXPECT_LT(gz.size(), random.size() + 5 * blocks + text.size() / 3);
  EXPECT_TRUE(Inflate(gz) == data);
  EXPECT_EQ(Gzip(data, 1, 12345), gz);

  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "x.gz", gz);
  EXPECT_EQ(testing::Shell("gzip -dc " + (dir / "x.gz") + " | sha256sum | cut -c1-64"),
            Sha256::HexOf(data) + "\n");
}

TEST(ParallelGzipWriterTest, AnAllRandomStreamEndsWithAFinalStoredBlock) {
  std::string data = RandomBytes(2 * ParallelGzipWriter::kChunkSize, 11);  // no short chunk
  std::string gz = Gzip(data, 2, 1 << 20);
  EXPECT_TRUE(Inflate(gz) == data);
  ScratchDir dir;
  plinth::testing::WriteTestFile(dir / "r.gz", gz);
  EXPECT_EQ(testing::Shell("gzip -t " + (dir / "r.gz") + " && echo ok"), "ok\n");
}

// A clean build must publish the same layer digest as the build it is compared with, whichever
// process compressed it: with ISA-L, about one process in 5,000 deflated the same chunk into
// other bytes (CacheSoundnessTest found it). Compresses a short and a multi-chunk input in 100
// processes of this binary and compares their bytes with this process's.
TEST(ParallelGzipWriterTest, GivesTheSameBytesInEveryProcess) {
  std::string small;
  for (int i = 0; i < 40; ++i) small += "app/lib/util" + std::to_string(i) + ".py\0000644\0";
  std::string large = MixedData().substr(0, 1'500'000);
  std::string digests = Sha256::HexOf(Gzip(small, 2, 512)) + Sha256::HexOf(Gzip(large, 2, 4096));
  if (std::getenv("PLINTH_GZIP_CHILD")) {
    std::printf("digests=%s\n", digests.c_str());
    return;
  }
  std::string self = std::filesystem::read_symlink("/proc/self/exe");
  std::string seen = testing::Shell(
      "for i in $(seq 100); do PLINTH_GZIP_CHILD=1 '" + self +
      "' --gtest_filter=ParallelGzipWriterTest.GivesTheSameBytesInEveryProcess | grep '^digests='; "
      "done | sort | uniq -c | sed 's/^ *//'");
  EXPECT_EQ(seen, "100 digests=" + digests + "\n");
}

TEST(ParallelGzipWriterTest, ObserverSeesEveryByteInOrder) {
  std::string data = MixedData();
  Sha256 seen;
  uint64_t calls = 0;
  StringSink out;
  ParallelGzipWriter gz(out, 2, 2, [&](const uint8_t* p, size_t n) {
    seen.Update(p, n);
    ++calls;
  });
  ASSERT_TRUE(gz.Write(data));
  ASSERT_TRUE(gz.Finish());
  EXPECT_EQ(seen.FinishHex(), Sha256::HexOf(data));
  EXPECT_EQ(calls, data.size() / ParallelGzipWriter::kChunkSize + 1);
}

// A sink that fails after `limit` bytes, as a full disk does.
class FailingSink : public ByteSink {
 public:
  explicit FailingSink(size_t limit) : limit_(limit) {}
  using ByteSink::Write;
  Status Write(const void*, size_t size) override {
    if (written_ + size > limit_) return IoError("disk full (test)");
    written_ += size;
    return Ok{};
  }

 private:
  size_t limit_;
  size_t written_ = 0;
};

TEST(ParallelGzipWriterTest, AFailingSinkFailsTheStreamInsteadOfHanging) {
  std::string data = RandomBytes(20 * ParallelGzipWriter::kChunkSize, 3);
  for (size_t limit : {size_t{0}, size_t{5 << 20}}) {
    FailingSink out(limit);
    ParallelGzipWriter gz(out, 2, 2);
    Status status;
    for (size_t i = 0; i < data.size() && status; i += 1 << 16)
      status = gz.Write(data.data() + i, 1 << 16);
    if (status) status = gz.Finish();
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().message().find("disk full"), std::string::npos)
        << status.error().ToString();
  }
}

TEST(ParallelGzipWriterTest, DroppedUnfinishedWriterStopsItsThreads) {
  std::string data = MixedData();
  StringSink out;
  {
    ParallelGzipWriter gz(out, 2, 2);
    ASSERT_TRUE(gz.Write(data));
  }  // no Finish: the destructor must not hang or crash
  SUCCEED();
}

TEST(LayerStreamTest, DigestIsOfTheBlobAndDiffIdOfTheTar) {
  std::string data = MixedData();
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kNone}) {
    StringSink out;
    LayerStream stream(out, c);
    ASSERT_TRUE(stream.Write(data));
    auto info = stream.Finish();
    ASSERT_TRUE(info);
    EXPECT_EQ(info->diff_id.hex(), Sha256::HexOf(data));
    EXPECT_EQ(info->digest.hex(), Sha256::HexOf(out.str()));
    EXPECT_EQ(info->size, out.str().size());
    EXPECT_EQ(info->uncompressed_size, data.size());
    EXPECT_EQ(info->media_type, MediaTypeOf(c));
  }
}

}  // namespace
}  // namespace plinth::layer
