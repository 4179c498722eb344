// Minimal ELF files made in the tests: a header, program headers (PT_LOAD over the whole file,
// PT_INTERP when an interpreter is given, PT_DYNAMIC when libraries or a runpath are), the
// interpreter string, the dynamic string table and section, then `trailer` (e.g. a tool's
// identifying strings) and `padding` zero bytes (to push tables past a reader's prefix).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plinth::audit::testing {

struct ElfSpec {
  unsigned machine = 62;  // EM_X86_64
  bool is64 = true;
  bool big_endian = false;
  std::string interpreter;
  std::vector<std::string> needed;
  std::string runpath;
  std::string trailer;
  uint64_t padding_before_tables = 0;   // zero bytes before the string table
  uint64_t padding_before_dynamic = 0;  // zero bytes between it and the dynamic section
};

std::string MakeElf(const ElfSpec& spec);

inline constexpr unsigned kAmd64 = 62, kArm64 = 183;

}  // namespace plinth::audit::testing
