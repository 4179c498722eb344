#include "audit/elf_scanner.h"

#include <algorithm>
#include <cstring>

namespace plinth::audit {
namespace {

constexpr uint32_t kPtLoad = 1, kPtDynamic = 2, kPtInterp = 3;
constexpr uint64_t kDtNull = 0, kDtNeeded = 1, kDtStrtab = 5, kDtStrsz = 10, kDtRpath = 15,
                   kDtRunpath = 29;
// Pieces fed at once: tables found in one piece are captured from the next on, so a piece
// must be small next to the prefix kept.
constexpr size_t kPiece = 64 << 10;

std::vector<std::string> SplitColons(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

uint64_t ElfScanner::Read(const std::string& bytes, size_t at, int width) const {
  uint64_t value = 0;
  for (int i = 0; i < width; ++i) {
    uint64_t byte = static_cast<unsigned char>(bytes[at + i]);
    value |= big_endian_ ? byte << (8 * (width - 1 - i)) : byte << (8 * i);
  }
  return value;
}

void ElfScanner::Feed(const char* data, size_t size) {
  while (size > 0) {
    size_t n = std::min(size, kPiece);
    if (prefix_.size() < kPrefixBytes && prefix_.size() == offset_)
      prefix_.append(data, std::min<uint64_t>(n, kPrefixBytes - prefix_.size()));
    for (Capture* c : {&interp_, &dynamic_, &strtab_}) Fill(*c, data, n, offset_);
    offset_ += n;
    data += n;
    size -= n;
    if (offset_ >= 20 && !is_elf_ && !header_) {
      is_elf_ = std::memcmp(prefix_.data(),
                            "\x7f"
                            "ELF",
                            4) == 0 &&
                (prefix_[4] == 1 || prefix_[4] == 2) && (prefix_[5] == 1 || prefix_[5] == 2);
      if (!is_elf_) {
        header_ = true;  // decided: not ELF; nothing more to learn
        return;
      }
    }
    if (!is_elf_) continue;
    TryHeader();
    TryProgramHeaders();
    TryDynamic();
  }
}

void ElfScanner::TryHeader() {
  if (header_) return;
  bool is64 = prefix_[4] == 2;
  if (prefix_.size() < (is64 ? 64u : 52u)) return;
  header_ = true;
  info_.is64 = is64;
  big_endian_ = prefix_[5] == 2;
  info_.type = static_cast<uint16_t>(Read(prefix_, 16, 2));
  info_.machine = static_cast<unsigned>(Read(prefix_, 18, 2));
  phoff_ = is64 ? Read(prefix_, 32, 8) : Read(prefix_, 28, 4);
  phentsize_ = static_cast<unsigned>(Read(prefix_, is64 ? 54 : 42, 2));
  phnum_ = static_cast<unsigned>(Read(prefix_, is64 ? 56 : 44, 2));
  if (phnum_ > 0 && phentsize_ < (is64 ? 56u : 32u)) {
    info_.note = "program header entries of " + std::to_string(phentsize_) + " bytes";
    phdrs_ = true;
  }
}

void ElfScanner::TryProgramHeaders() {
  if (!header_ || phdrs_) return;
  uint64_t end = phoff_ + uint64_t{phentsize_} * phnum_;
  if (phoff_ > kPrefixBytes || end > kPrefixBytes) {
    info_.note = "program headers beyond the first " + std::to_string(kPrefixBytes) + " bytes";
    phdrs_ = true;
    return;
  }
  if (prefix_.size() < end) return;
  phdrs_ = true;
  bool is64 = info_.is64;
  for (unsigned i = 0; i < phnum_; ++i) {
    size_t at = static_cast<size_t>(phoff_ + uint64_t{i} * phentsize_);
    uint32_t type = static_cast<uint32_t>(Read(prefix_, at, 4));
    uint64_t offset = is64 ? Read(prefix_, at + 8, 8) : Read(prefix_, at + 4, 4);
    uint64_t vaddr = is64 ? Read(prefix_, at + 16, 8) : Read(prefix_, at + 8, 4);
    uint64_t filesz = is64 ? Read(prefix_, at + 32, 8) : Read(prefix_, at + 16, 4);
    if (type == kPtLoad) loads_.push_back({vaddr, offset, filesz});
    if (type == kPtInterp && !interp_.wanted) Want(interp_, offset, filesz, "interpreter");
    if (type == kPtDynamic && !dynamic_.wanted) {
      info_.dynamic = true;
      Want(dynamic_, offset, filesz, "dynamic section");
    }
  }
}

void ElfScanner::Want(Capture& capture, uint64_t offset, uint64_t size, const char* what) {
  if (size > kMaxTableBytes || offset > UINT64_MAX - size) {
    info_.note = std::string(what) + " of " + std::to_string(size) + " bytes not read";
    return;
  }
  capture.wanted = true;
  capture.offset = offset;
  capture.size = size;
  if (offset < offset_) {
    // Already streamed past: only what the prefix kept is still here.
    if (std::min(offset + size, offset_) > prefix_.size()) {
      info_.note = std::string(what) + " lies before bytes already read and beyond the first " +
                   std::to_string(kPrefixBytes) + " bytes";
      capture.wanted = false;
      return;
    }
    uint64_t have = std::min(offset + size, offset_) - offset;
    capture.data.assign(prefix_, static_cast<size_t>(offset), static_cast<size_t>(have));
  }
}

void ElfScanner::Fill(Capture& capture, const char* data, size_t size, uint64_t at) {
  if (!capture.wanted || capture.Complete()) return;
  uint64_t want = capture.offset + capture.data.size();
  if (want < at || want >= at + size) return;
  uint64_t skip = want - at;
  uint64_t n = std::min<uint64_t>(size - skip, capture.size - capture.data.size());
  capture.data.append(data + skip, static_cast<size_t>(n));
}

void ElfScanner::TryDynamic() {
  if (dyn_parsed_ || !dynamic_.Complete()) return;
  dyn_parsed_ = true;
  int width = info_.is64 ? 8 : 4;
  uint64_t strtab_addr = 0, strsz = 0;
  bool has_strtab = false;
  for (size_t at = 0; at + 2 * width <= dynamic_.data.size(); at += 2 * width) {
    uint64_t tag = Read(dynamic_.data, at, width);
    uint64_t value = Read(dynamic_.data, at + width, width);
    if (tag == kDtNull) break;
    if (tag == kDtNeeded) needed_offsets_.push_back(value);
    if (tag == kDtRunpath) runpath_offsets_.push_back(value);
    if (tag == kDtRpath) rpath_offsets_.push_back(value);
    if (tag == kDtStrtab) {
      strtab_addr = value;
      has_strtab = true;
    }
    if (tag == kDtStrsz) strsz = value;
  }
  if (needed_offsets_.empty() && runpath_offsets_.empty() && rpath_offsets_.empty()) return;
  if (!has_strtab) {
    info_.note = "dynamic section without a string table";
    return;
  }
  for (const Load& load : loads_) {
    if (strtab_addr >= load.vaddr && strtab_addr - load.vaddr < load.filesz) {
      uint64_t offset = load.offset + (strtab_addr - load.vaddr);
      uint64_t size = std::min(strsz, load.filesz - (strtab_addr - load.vaddr));
      Want(strtab_, offset, size, "dynamic string table");
      return;
    }
  }
  info_.note = "dynamic string table outside every loaded segment";
}

std::optional<ElfInfo> ElfScanner::Finish() {
  done_reading_ = true;
  if (!is_elf_) return std::nullopt;
  if (!header_) {
    info_.note = "truncated ELF header";
    return info_;
  }
  if (interp_.Complete()) {
    info_.interpreter = interp_.data.substr(0, interp_.data.find('\0'));
  } else if (interp_.wanted && info_.note.empty()) {
    info_.note = "truncated interpreter";
  }
  if (dynamic_.wanted && !dynamic_.Complete() && info_.note.empty())
    info_.note = "truncated dynamic section";
  if (strtab_.wanted && !strtab_.Complete() && info_.note.empty())
    info_.note = "truncated dynamic string table";
  if (strtab_.Complete()) {
    auto str = [&](uint64_t off) -> std::optional<std::string> {
      if (off >= strtab_.data.size()) return std::nullopt;
      size_t end = strtab_.data.find('\0', static_cast<size_t>(off));
      if (end == std::string::npos) return std::nullopt;
      return strtab_.data.substr(static_cast<size_t>(off), end - static_cast<size_t>(off));
    };
    for (uint64_t off : needed_offsets_)
      if (auto s = str(off)) info_.needed.push_back(*s);
    for (uint64_t off : runpath_offsets_)
      if (auto s = str(off))
        for (auto& p : SplitColons(*s)) info_.runpath.push_back(p);
    for (uint64_t off : rpath_offsets_)
      if (auto s = str(off))
        for (auto& p : SplitColons(*s)) info_.rpath.push_back(p);
  }
  return info_;
}

}  // namespace plinth::audit
