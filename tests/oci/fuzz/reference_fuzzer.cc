// libFuzzer target for the names plinth reads from Dockerfiles, plinth.yaml and the command
// line: image references (with their digests) and platforms. Nothing may crash, throw or hit
// undefined behaviour; a reference that parses must print as something that parses again to
// the same reference.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oci/digest.h"
#include "oci/platform.h"
#include "oci/reference.h"

using namespace plinth::oci;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto ref = Reference::Parse(input)) {
    auto again = Reference::Parse(ref->str());
    if (!again || !(*again == *ref)) __builtin_trap();
    auto familiar = Reference::Parse(ref->Familiar());
    if (!familiar || !(*familiar == *ref)) __builtin_trap();
    (void)ref->FamiliarName();
    (void)ref->WithTag("t").str();
  }
  if (auto digest = Digest::Parse(input)) {
    auto again = Digest::Parse(digest->str());
    if (!again || !(*again == *digest)) __builtin_trap();
  }
  if (auto platform = Platform::Parse(input)) (void)Platform::Parse(platform->str());
  return 0;
}
