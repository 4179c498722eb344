// libFuzzer target for the layer extractor: any bytes are decompressed (format detected) and
// extracted as a layer into a fresh root in a temp folder, which is then removed; whiteouts
// applied or written as overlayfs marks them, by the input's length. Nothing may
// crash, throw, leak or hit undefined behaviour, and nothing may be written outside the root:
// the root's parent holds a sentinel folder that must stay empty, and nothing else may appear
// beside them. What one input may decompress to is capped (64 MiB).
#include <ftw.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "layer/decompressing_source.h"
#include "layer/layer_extractor.h"
#include "util/fs.h"

using namespace plinth;
using namespace plinth::layer;

namespace {

constexpr uint64_t kMaxBytes = 64 << 20;

// Fails once more than kMaxBytes have been read.
class CappedSource : public ByteSource {
 public:
  explicit CappedSource(ByteSource& in) : in_(in) {}
  Result<size_t> Read(void* data, size_t size) override {
    PLINTH_TRY(size_t n, in_.Read(data, size));
    total_ += n;
    if (total_ > kMaxBytes) return InvalidInput("fuzz input decompresses to more than 64 MiB");
    return n;
  }

 private:
  ByteSource& in_;
  uint64_t total_ = 0;
};

// Members may leave folders without search or write permission: give them back so that a
// non-root user can remove the tree.
int MakeRemovable(const char* path, const struct stat* st, int type, FTW*) {
  if (type == FTW_D || type == FTW_DNR) chmod(path, 0700);
  return 0;
}

const std::string& Scratch() {
  static TempDir* dir = [] {
    auto made = TempDir::Create("plinth-fuzz-extract");
    if (!made) abort();
    return new TempDir(std::move(*made));
  }();
  return dir->path();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fs = std::filesystem;
  const std::string& scratch = Scratch();
  std::string root = scratch + "/root";
  std::string sentinel = scratch + "/outside";
  if (mkdir(root.c_str(), 0755) != 0 || mkdir(sentinel.c_str(), 0755) != 0) abort();

  // Either whiteout mode, stacked (kApply) or one layer as an overlay lower (kOverlay), chosen
  // by the input's length, so a run costs one extraction and both modes see every kind of input.
  WhiteoutMode mode = size % 2 ? WhiteoutMode::kOverlay : WhiteoutMode::kApply;
  StringSource input(std::string(reinterpret_cast<const char*>(data), size));
  if (auto tar = OpenDecompressed(input)) {
    CappedSource capped(**tar);
    (void)ExtractLayer(capped, root, {.whiteouts = mode});
  }

  if (!fs::is_empty(sentinel)) __builtin_trap();
  int entries = 0;
  for (const auto& e : fs::directory_iterator(scratch)) {
    (void)e;
    ++entries;
  }
  if (entries != 2) __builtin_trap();
  nftw(root.c_str(), MakeRemovable, 16, FTW_PHYS);
  if (!RemoveAll(root) || !RemoveAll(sentinel)) abort();
  return 0;
}
