// layer_bench: builds one layer from a folder with LayerBuilder (as `plinth image build --add
// DIR:/data` does) and prints its digest, diff_id, sizes and the wall time.
//   layer_bench SRC_DIR OUT_BLOB [gzip|zstd|none] [level]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "layer/file_sink.h"
#include "layer/layer_builder.h"

using namespace plinth;
using namespace plinth::layer;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: layer_bench SRC_DIR OUT_BLOB [gzip|zstd|none] [level]\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  auto options = LayerOptions::FromEnvironment();
  if (!options) {
    std::fprintf(stderr, "%s\n", options.error().ToString().c_str());
    return 2;
  }
  if (argc > 3) {
    auto c = ParseCompression(argv[3]);
    if (!c) return std::fprintf(stderr, "%s\n", c.error().ToString().c_str()), 2;
    options->compression = *c;
  }
  if (argc > 4) options->level = std::atoi(argv[4]);
  LayerBuilder builder(*options);
  auto sink = FileSink::Create(argv[2]);
  Status st = sink ? builder.Add({argv[1], "/data"}) : Status(sink.error());
  Result<LayerInfo> info = st ? builder.Build(*sink) : Result<LayerInfo>(st.error());
  if (info) st = sink->Close();
  if (!info || !st) {
    std::fprintf(stderr, "layer_bench: %s\n",
                 (!info ? info.error() : st.error()).ToString().c_str());
    return 1;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s %s size=%llu tar=%llu entries=%zu time=%.3f\n", info->digest.str().c_str(),
              info->diff_id.str().c_str(), static_cast<unsigned long long>(info->size),
              static_cast<unsigned long long>(info->uncompressed_size), builder.size(), secs);
  return 0;
}
