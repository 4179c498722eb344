#include "debian/elf_arch.h"

namespace plinth::debian {

std::optional<unsigned> ElfMachine(std::string_view head) {
  if (head.size() < kElfHeadSize || head.substr(0, 4) != "\x7f" "ELF") return std::nullopt;
  auto b = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(head[i])); };
  // EI_DATA: 1 little-endian, 2 big-endian.
  if (b(5) == 2) return (b(18) << 8) | b(19);
  return b(18) | (b(19) << 8);
}

std::optional<unsigned> MachineForArch(std::string_view arch) {
  if (arch == "amd64") return 62;     // EM_X86_64
  if (arch == "arm64") return 183;    // EM_AARCH64
  if (arch == "armhf" || arch == "armel") return 40;  // EM_ARM
  if (arch == "i386") return 3;       // EM_386
  if (arch == "ppc64el") return 21;   // EM_PPC64
  if (arch == "s390x") return 22;     // EM_S390
  if (arch == "riscv64") return 243;  // EM_RISCV
  return std::nullopt;
}

std::string MachineName(unsigned machine) {
  switch (machine) {
    case 62: return "x86-64";
    case 183: return "aarch64";
    case 40: return "arm";
    case 3: return "i386";
    case 21: return "ppc64";
    case 22: return "s390";
    case 243: return "riscv";
  }
  return "machine " + std::to_string(machine);
}

}  // namespace plinth::debian
