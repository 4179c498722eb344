// ElfScanner: what the audit needs from an ELF file (machine, class, whether it is dynamically
// linked, its interpreter, DT_NEEDED, DT_RUNPATH and DT_RPATH), learned while the file streams
// past once, front to back. Files are untrusted: every offset and size is checked against what
// was read. Memory is bounded: the first kPrefixBytes are kept (headers, and the dynamic string
// table, which linkers put near the start), plus the program interpreter, the dynamic section
// and, when it lies later in the file, the string table, each capped; a file whose tables lie
// outside what can be kept is reported as not fully inspected (`note`), never guessed at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plinth::audit {

struct ElfInfo {
  unsigned machine = 0;  // e_machine
  bool is64 = false;
  uint16_t type = 0;        // e_type: 2 executable, 3 shared object / PIE
  bool dynamic = false;     // has PT_DYNAMIC (needs the dynamic loader's work)
  std::string interpreter;  // PT_INTERP ("/lib/ld-linux-aarch64.so.1"); empty: none
  std::vector<std::string> needed;
  std::vector<std::string> runpath;  // DT_RUNPATH entries, split at ':'
  std::vector<std::string> rpath;    // DT_RPATH entries (used only without DT_RUNPATH)
  // Non-empty when the dynamic part could not be read (truncated, tables too far apart, …):
  // the machine is still known; the libraries are not.
  std::string note;
};

class ElfScanner {
 public:
  static constexpr uint64_t kPrefixBytes = 4 << 20;
  static constexpr uint64_t kMaxTableBytes = 4 << 20;

  // Feed the file's bytes in order.
  void Feed(const char* data, size_t size);
  // Whether the first bytes seen so far say this is an ELF file (decided after 20 bytes).
  bool IsElf() const { return is_elf_; }
  bool Decided() const { return offset_ >= 20 || done_reading_; }
  // After the last Feed: the facts, or nullopt when the file is not ELF.
  std::optional<ElfInfo> Finish();

 private:
  struct Capture {
    uint64_t offset = 0;
    uint64_t size = 0;
    std::string data;
    bool wanted = false;
    bool Complete() const { return wanted && data.size() == size; }
  };
  void TryHeader();
  void TryProgramHeaders();
  void TryDynamic();
  void Want(Capture& capture, uint64_t offset, uint64_t size, const char* what);
  void Fill(Capture& capture, const char* data, size_t size, uint64_t at);
  uint64_t Read(const std::string& bytes, size_t at, int width) const;

  std::string prefix_;
  uint64_t offset_ = 0;  // bytes fed
  bool is_elf_ = false;
  bool done_reading_ = false;
  bool header_ = false, phdrs_ = false, dyn_parsed_ = false;
  bool big_endian_ = false;
  uint64_t phoff_ = 0;
  unsigned phentsize_ = 0, phnum_ = 0;
  struct Load {
    uint64_t vaddr, offset, filesz;
  };
  std::vector<Load> loads_;
  Capture interp_, dynamic_, strtab_;
  std::vector<uint64_t> needed_offsets_, runpath_offsets_, rpath_offsets_;
  ElfInfo info_;
};

}  // namespace plinth::audit
