// libFuzzer target for the OCI documents plinth reads from registries, layouts and archives:
// any bytes go through Manifest, Index and ImageConfig parsing and SniffMediaType. Nothing may
// crash, throw, leak or hit undefined behaviour; errors are fine. A document that parses must
// serialise, and its serialisation must parse again to the same document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oci/image_config.h"
#include "oci/manifest.h"

using namespace plinth::oci;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)SniffMediaType(input);

  if (auto manifest = Manifest::Parse(input)) {
    std::string text = manifest->ToJsonString();
    auto again = Manifest::Parse(text);
    if (!again || again->ToJsonString() != text) __builtin_trap();
  }
  if (auto index = Index::Parse(input)) {
    std::string text = index->ToJsonString();
    auto again = Index::Parse(text);
    if (!again || again->ToJsonString() != text) __builtin_trap();
  }
  if (auto config = ImageConfig::Parse(input)) {
    std::string text = config->ToJsonString();
    auto again = ImageConfig::Parse(text);
    if (!again || again->ToJsonString() != text) __builtin_trap();
    (void)config->config.GetEnv("PATH");
  }
  return 0;
}
