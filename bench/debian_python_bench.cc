// Benchmark: build the python3-debian12 base for one architecture from cached .debs, against
// the floor measured in the same run: decompressing the data.tar of the same packages with
// `xz -dc` / `zstd -dc` to /dev/null, one after another (what dpkg-deb -x spends most of its
// time on). Target: build <= 1.2x floor, using both cores; layer <= 20 MB.
//
//   debian_python_bench [RECIPE] [ARCH]    (needs network on the first run to fill the cache)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "debian/base_image_builder.h"
#include "debian/deb_archive.h"
#include "debian/deb_cache.h"
#include "debian/lock_file.h"
#include "debian/recipe.h"
#include "oci/layout_store.h"
#include "util/fs.h"
#include "util/subprocess.h"

using namespace plinth;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string recipe_path = argc > 1 ? argv[1] : "examples/lucid/bases/python3-debian12.yaml";
  std::string arch = argc > 2 ? argv[2] : "amd64";
  const char* home = std::getenv("HOME");
  std::string cache = std::getenv("PLINTH_DEBIAN_CACHE") ? std::getenv("PLINTH_DEBIAN_CACHE")
                                                         : std::string(home ? home : "/tmp") + "/.cache/plinth-test-debs";
  auto recipe = debian::LoadRecipeFile(recipe_path);
  if (!recipe) {
    std::cerr << recipe.error().ToString() << "\n";
    return 2;
  }
  auto tmp = TempDir::Create("plinth-bench");
  debian::BaseBuildOptions options;
  options.cache_dir = cache;
  options.lock_path = tmp->path() + "/plinth.lock";
  options.architectures = {arch};
  // Warm-up: resolve, download, write the lock (not timed).
  {
    auto store = oci::LayoutStore::Open(tmp->path() + "/warm");
    auto r = debian::BuildBaseImage(*recipe, *store, options);
    if (!r) {
      std::cerr << r.error().ToString() << "\n";
      return 1;
    }
  }
  auto lock = debian::LockFile::Load(options.lock_path);
  const debian::LockSection* section = lock->Find(recipe->name, arch);
  auto debs = debian::DebCache::Open(cache + "/debs");

  // Floor: decompress every data.tar, sequentially, with the reference tools.
  double floor_best = 1e9;
  for (int run = 0; run < 3; ++run) {
    double t0 = Now();
    for (const auto& p : section->packages) {
      auto deb = debian::DebArchive::Open(debs->PathFor(p.sha256));
      std::string member = deb->data_member();
      std::string tool = member.ends_with(".xz") ? "xz -dc" : member.ends_with(".zst") ? "zstd -dc" : "gzip -dc";
      std::string cmd = "ar p '" + debs->PathFor(p.sha256) + "' " + member + " | " + tool + " > /dev/null";
      auto r = RunProcess({"/bin/sh", "-c", cmd});
      if (!r || !r->ok()) {
        std::cerr << "floor failed for " << p.name << "\n";
        return 1;
      }
    }
    floor_best = std::min(floor_best, Now() - t0);
  }

  double build_best = 1e9;
  uint64_t layer_size = 0, uncompressed = 0;
  for (int run = 0; run < 3; ++run) {
    auto store = oci::LayoutStore::Open(tmp->path() + "/store" + std::to_string(run));
    double t0 = Now();
    auto r = debian::BuildBaseImage(*recipe, *store, options);
    double t = Now() - t0;
    if (!r) {
      std::cerr << r.error().ToString() << "\n";
      return 1;
    }
    build_best = std::min(build_best, t);
    layer_size = r->builds[0].layer.size;
    uncompressed = r->builds[0].uncompressed_size;
  }
  std::printf("recipe %s arch %s: %zu packages\n", recipe->name.c_str(), arch.c_str(), section->packages.size());
  std::printf("floor (xz/zstd -dc of data.tar, sequential): %.3f s\n", floor_best);
  std::printf("plinth base build from cached .debs:         %.3f s  (%.2fx floor, target <= 1.2x)\n",
              build_best, build_best / floor_best);
  std::printf("layer: %.1f MB zstd (%.1f MB uncompressed); target <= 20 MB; "
              "gcr.io/distroless/python3-debian12 reports ~50 MB\n",
              layer_size / 1e6, uncompressed / 1e6);
  return 0;
}
