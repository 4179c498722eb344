// libFuzzer target for what the audit reads out of a file's bytes: any bytes are fed to the
// ELF scanner in pieces whose size the first byte picks (so tables straddle every boundary),
// to the tool signature matcher, and as text to the secret and script readers. Nothing may
// crash, throw or hit undefined behaviour; the scanner's promises hold (a non-ELF file has no
// facts, an ELF file's facts come only from what was fed).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/elf_scanner.h"
#include "audit/secret_patterns.h"
#include "audit/tool_signatures.h"

using namespace plinth::audit;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t piece = 1 + data[0] % 64;
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  size_t n = size - 1;
  ElfScanner elf;
  SignatureMatcher signatures;
  for (size_t at = 0; at < n; at += piece) {
    size_t len = n - at < piece ? n - at : piece;
    elf.Feed(bytes + at, len);
    signatures.Feed(bytes + at, len);
  }
  auto info = elf.Finish();
  bool looks_elf = n >= 20 && std::string_view(bytes, 4) ==
                                  "\x7f"
                                  "ELF";
  if (info && !looks_elf) __builtin_trap();
  if (info)
    for (const auto& lib : info->needed)
      if (lib.size() > n) __builtin_trap();  // a name is never longer than the file
  std::string_view text(bytes, n);
  for (const auto& hit : FindSecrets(text))
    if (hit.line < 1) __builtin_trap();
  (void)ScriptTools(text);
  (void)CredentialAssignments(text);
  return 0;
}
