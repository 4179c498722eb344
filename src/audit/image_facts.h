// ImageFacts: what one pass over an image's merged filesystem (merged_filesystem.h) learns for
// the audit rules: every path's type, mode and owner; for ELF files their machine, interpreter
// and libraries (elf_scanner.h); for executables the tools their content betrays
// (tool_signatures.h); secrets found in small text files; and the few small files the rules
// read whole (passwd, group, shadow, ld.so.conf). Memory: metadata per path, one ELF prefix
// and one small file at a time; each file's content is read once as its layer streams past.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/elf_scanner.h"
#include "audit/merged_filesystem.h"
#include "layer/tar_entry.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::audit {

struct FileFacts {
  layer::EntryType type = layer::EntryType::kRegular;
  uint32_t mode = 0;
  uint64_t uid = 0, gid = 0, size = 0;
  std::string link_target;  // symlinks: verbatim; hard links: the member they share content with
  size_t layer = 0;
  std::optional<ElfInfo> elf;
  std::string shebang;             // scripts: "/bin/sh -e"
  std::vector<std::string> tools;  // shells and package managers its content shows ("busybox")
  bool content_known = true;       // false: a hard link whose target an upper layer replaced
};

enum class SecretKind { kPrivateKey, kAwsAccessKey };

struct SecretHit {
  std::string path;
  SecretKind kind;
  int line = 0;  // 1-based line of the match
};

struct ImageFacts {
  std::map<std::string, FileFacts> files;  // by path, no leading "/"
  // Whole content of the small files rules read (at most kMaxSmallFile bytes each).
  std::map<std::string, std::string> small_files;
  std::vector<SecretHit> secrets;
  MergedFigures figures;
};

// Files kept whole when the walk meets them.
inline constexpr uint64_t kMaxSmallFile = 1 << 20;
// Text files scanned for secrets when not larger than this.
inline constexpr uint64_t kMaxScannedFile = 1 << 20;

Result<ImageFacts> CollectImageFacts(const oci::LayoutStore& store, const oci::Image& image);

}  // namespace plinth::audit
