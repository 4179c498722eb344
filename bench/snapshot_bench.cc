// Benchmark: what native RUN steps spend outside the command itself (run as root).
//   1. unpacking an image's layers as overlay snapshots (SnapshotStore::Lowers), cold, then
//      the same call again (every snapshot there: no work);
//   2. writing a step's upper folder of ~100 MB (1,000 files of 100 KiB, half random bytes,
//      half text, so gzip has work either way) as a gzip layer (WriteUpperLayer), and adopting
//      it as the next step's snapshot (SnapshotStore::Adopt).
//
//   snapshot_bench SRC_STORE IMAGE [PLATFORM]
//     e.g. snapshot_bench examples/lucid/.plinth/store pickme/lucid-base:python-distroless
//
// SRC_STORE is only read: the image's blobs are copied into a temporary store first.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

#include "oci/image.h"
#include "oci/layout_store.h"
#include "run/snapshot_store.h"
#include "run/upper_layer.h"
#include "util/fs.h"

using namespace plinth;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int Fail(const Error& e) {
  std::cerr << e.ToString() << "\n";
  return 1;
}

Status CopyBlob(const oci::LayoutStore& from, const oci::LayoutStore& to,
                const oci::Descriptor& d) {
  PLINTH_TRY(FileSource source, from.OpenBlob(d));
  PLINTH_TRY(oci::BlobWriter writer, to.NewBlob());
  std::vector<char> buf(1 << 20);
  for (;;) {
    PLINTH_TRY(size_t n, source.Read(buf.data(), buf.size()));
    if (n == 0) break;
    PLINTH_CHECK(writer.Write(buf.data(), n));
  }
  PLINTH_TRY(oci::Descriptor done, writer.Commit(d.media_type, d.digest));
  return Ok{};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: snapshot_bench SRC_STORE IMAGE [PLATFORM]\n";
    return 2;
  }
  auto platform = argc > 3 ? oci::Platform::Parse(argv[3]) : oci::Platform::Host();
  if (!platform) return Fail(platform.error());
  auto src = oci::LayoutStore::OpenExisting(argv[1]);
  if (!src) return Fail(src.error());
  auto image = oci::ReadImage(*src, argv[2], *platform);
  if (!image) return Fail(image.error());
  auto tmp = TempDir::Create("plinth-snapshot-bench");
  if (!tmp) return Fail(tmp.error());
  auto store = oci::LayoutStore::Open(tmp->path() + "/store");
  if (!store) return Fail(store.error());
  int64_t compressed = 0;
  for (const auto& l : image->layers) {
    if (Status copied = CopyBlob(*src, *store, l); !copied) return Fail(copied.error());
    compressed += l.size;
  }

  run::SnapshotStore snapshots(*store);
  double t0 = Now();
  auto lowers = snapshots.Lowers(*image);
  double cold = Now() - t0;
  if (!lowers) return Fail(lowers.error());
  t0 = Now();
  auto again = snapshots.Lowers(*image);
  double warm = Now() - t0;
  if (!again) return Fail(again.error());
  std::printf("lowers: %zu layers, %.1f MB compressed: cold %.3f s, warm %.6f s\n",
              image->layers.size(), compressed / 1e6, cold, warm);

  auto step = snapshots.NewStep();
  if (!step) return Fail(step.error());
  std::mt19937_64 random(1);
  std::string text;
  while (text.size() < 50 * 1024) text += "the quick brown fox jumps over the lazy dog 0123456789\n";
  text.resize(50 * 1024);
  uint64_t total = 0;
  for (int dir = 0; dir < 10; ++dir) {
    std::string d = step->upper + "/usr/lib/bench" + std::to_string(dir);
    if (Status made = MakeDirs(d); !made) return Fail(made.error());
    for (int i = 0; i < 100; ++i) {
      std::string content(50 * 1024, '\0');
      for (size_t k = 0; k + 8 <= content.size(); k += 8) {
        uint64_t v = random();
        std::memcpy(content.data() + k, &v, 8);
      }
      content += text;
      FILE* f = std::fopen((d + "/f" + std::to_string(i)).c_str(), "wb");
      if (!f || std::fwrite(content.data(), 1, content.size(), f) != content.size()) return 1;
      std::fclose(f);
      total += content.size();
    }
  }
  std::system("sync");
  int64_t timestamp = time(nullptr);
  t0 = Now();
  auto written = run::WriteUpperLayer(*store, step->upper, layer::Compression::kGzip, timestamp);
  double write = Now() - t0;
  if (!written) return Fail(written.error());
  t0 = Now();
  if (Status adopted = snapshots.Adopt(*step, written->diff_id, timestamp); !adopted)
    return Fail(adopted.error());
  double adopt = Now() - t0;
  std::printf("upper: %.1f MB in 1000 files: layer (gzip, %.1f MB) %.3f s, adopt %.3f s\n",
              total / 1e6, written->descriptor.size / 1e6, write, adopt);
  return 0;
}
