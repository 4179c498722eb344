#include "layer/parallel_gzip_writer.h"

#include <gtest/gtest.h>

#include <random>

#include "layer/decompressing_source.h"
#include "layer/layer_stream.h"
#include "util/sha256.h"

namespace plinth::layer {
namespace {

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
