#include "audit/elf_support.h"

namespace plinth::audit::testing {
namespace {

class Writer {
 public:
  explicit Writer(bool big) : big_(big) {}
  void Put(uint64_t value, int width) {
    for (int i = 0; i < width; ++i) {
      int shift = big_ ? 8 * (width - 1 - i) : 8 * i;
      out.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  }
  std::string out;

 private:
  bool big_;
};

}  // namespace

std::string MakeElf(const ElfSpec& spec) {
  const int w = spec.is64 ? 8 : 4;
  const uint64_t ehsize = spec.is64 ? 64 : 52, phentsize = spec.is64 ? 56 : 32;
  const uint64_t base = 0x400000;
  bool dynamic = !spec.needed.empty() || !spec.runpath.empty();
  int phnum = 1 + (spec.interpreter.empty() ? 0 : 1) + (dynamic ? 1 : 0);

  // Body after the program headers: interpreter, padding, string table, dynamic section.
  uint64_t interp_off = ehsize + phentsize * phnum;
  std::string body = spec.interpreter.empty() ? "" : spec.interpreter + std::string(1, '\0');
  body += std::string(spec.padding_before_tables, '\0');
  uint64_t strtab_off = interp_off + body.size();
  std::string strtab(1, '\0');
  std::vector<uint64_t> needed_at;
  for (const auto& n : spec.needed) {
    needed_at.push_back(strtab.size());
    strtab += n + std::string(1, '\0');
  }
  uint64_t runpath_at = strtab.size();
  if (!spec.runpath.empty()) strtab += spec.runpath + std::string(1, '\0');
  body += strtab;
  body += std::string(spec.padding_before_dynamic, '\0');
  while ((interp_off + body.size()) % 8) body.push_back('\0');
  uint64_t dynamic_off = interp_off + body.size();
  Writer dyn(spec.big_endian);
  if (dynamic) {
    for (uint64_t at : needed_at) dyn.Put(1, w), dyn.Put(at, w);
    if (!spec.runpath.empty()) dyn.Put(29, w), dyn.Put(runpath_at, w);
    dyn.Put(5, w), dyn.Put(base + strtab_off, w);
    dyn.Put(10, w), dyn.Put(strtab.size(), w);
    dyn.Put(0, w), dyn.Put(0, w);
  }
  body += dyn.out;
  body += spec.trailer;
  uint64_t total = interp_off + body.size();

  Writer h(spec.big_endian);
  h.out = std::string(
      "\x7f"
      "ELF",
      4);
  h.out.push_back(spec.is64 ? 2 : 1);
  h.out.push_back(spec.big_endian ? 2 : 1);
  h.out.push_back(1);
  h.out += std::string(9, '\0');
  h.Put(dynamic ? 3 : 2, 2);  // e_type
  h.Put(spec.machine, 2);
  h.Put(1, 4);              // e_version
  h.Put(base + 0x1000, w);  // e_entry
  h.Put(ehsize, w);         // e_phoff
  h.Put(0, w);              // e_shoff
  h.Put(0, 4);              // e_flags
  h.Put(ehsize, 2);
  h.Put(phentsize, 2);
  h.Put(phnum, 2);
  h.Put(0, 2), h.Put(0, 2), h.Put(0, 2);  // shentsize, shnum, shstrndx
  auto phdr = [&](uint32_t type, uint64_t off, uint64_t vaddr, uint64_t size) {
    if (spec.is64) {
      h.Put(type, 4), h.Put(5, 4), h.Put(off, 8), h.Put(vaddr, 8), h.Put(vaddr, 8);
      h.Put(size, 8), h.Put(size, 8), h.Put(8, 8);
    } else {
      h.Put(type, 4), h.Put(off, 4), h.Put(vaddr, 4), h.Put(vaddr, 4);
      h.Put(size, 4), h.Put(size, 4), h.Put(5, 4), h.Put(8, 4);
    }
  };
  phdr(1, 0, base, total);
  if (!spec.interpreter.empty())
    phdr(3, interp_off, base + interp_off, spec.interpreter.size() + 1);
  if (dynamic) phdr(2, dynamic_off, base + dynamic_off, dyn.out.size());
  return h.out + body;
}

}  // namespace plinth::audit::testing
