// libFuzzer target for plinth.yaml: any bytes are loaded and validated as a fleet manifest
// (without looking for the files it names), and a fleet that loads has its image and index
// names, phases and upstreams computed. Nothing may crash, throw, leak or hit undefined
// behaviour; problems are reported as errors.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fleet/manifest_loader.h"

using namespace plinth::fleet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)ParseSize(input);
  auto fleet = LoadFleetFromString(input, "/plinth-fuzz/plinth.yaml", FileChecks::kSkipFileChecks);
  if (!fleet) return 0;
  for (const Target* t : fleet->Targets()) {
    for (const std::string& platform : fleet->PlatformsOf(*t)) {
      if (auto image = fleet->ImageFor(*t, platform)) (void)fleet->BaseForImage(*image, platform);
    }
    (void)fleet->IndexFor(*t);
    (void)fleet->DockerfilePath(*t);
    (void)fleet->ContextPath(*t);
    (void)fleet->TierOf(*t);
    (void)fleet->GroupOf(*t);
    if (!t->base.empty()) (void)fleet->UpstreamFor(t->base);
  }
  (void)fleet->Phases();
  return 0;
}
