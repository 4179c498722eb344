// ElfArch: recognises ELF files from their first bytes and checks their machine (e_machine)
// against a Debian architecture, so an arm64 image never ships an x86-64 binary by mistake.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace plinth::debian {

// Bytes of a file's head that are enough to decide (e_ident + e_type + e_machine).
inline constexpr size_t kElfHeadSize = 20;

// The e_machine of an ELF head, or nullopt if `head` is not an ELF file.
std::optional<unsigned> ElfMachine(std::string_view head);

// The e_machine Debian's architecture builds for (amd64: 62, arm64: 183, …); nullopt if unknown.
std::optional<unsigned> MachineForArch(std::string_view debian_arch);

std::string MachineName(unsigned machine);

}  // namespace plinth::debian
