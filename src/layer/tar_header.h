// The tar header format plinth writes and reads: POSIX ustar blocks, preceded by a PAX extended
// header ('x') when a field does not fit ustar. Grammar of an archive as written:
//
//   archive   := member* zero-block zero-block
//   member    := [pax-block] ustar-block data-blocks
//   pax-block := ustar-block(typeflag 'x', name "PaxHeaders.0/<base>") records padded to 512
//   record    := "<len> <key>=<value>\n"     (len counts the whole record, in decimal)
//
// PAX records are emitted, in this fixed order, for: `path` (names over 100 bytes or not
// ASCII), `linkpath` (same rule), `size` (>= 8 GiB), `uid`/`gid` (>= 2^21), `mtime` (< 0 or
// >= 2^33), `SCHILY.xattr.security.capability` (a file's capabilities, when it has some). Nothing else varies between runs: uname/gname are empty, devmajor/minor are zero,
// so the same entries always encode to the same bytes. The reader also accepts GNU long names
// ('L'/'K'), base-256 numeric fields and global PAX headers (ignored).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "layer/tar_entry.h"
#include "util/result.h"

namespace plinth::layer {

inline constexpr size_t kTarBlockSize = 512;
using TarBlock = std::array<char, kTarBlockSize>;

// Largest values the ustar octal fields hold; beyond them a PAX record carries the value.
inline constexpr uint64_t kMaxOctalSize = 077777777777ULL;  // 12-byte field: 8 GiB - 1
inline constexpr uint64_t kMaxOctalId = 07777777ULL;        // 8-byte field

// The bytes that precede an entry's data: an optional PAX header member and the ustar block.
// Always a multiple of 512 bytes.
std::string EncodeTarHeader(const TarEntry& entry);

// The PAX records (without the 'x' header block) that `entry` needs; empty if none.
std::string EncodePaxRecords(const TarEntry& entry);

// Writes `value` as zero-padded octal into `field` (NUL-terminated); false if it does not fit.
bool FormatOctal(char* field, size_t field_size, uint64_t value);

// Parses a numeric header field: octal (space/NUL terminated) or GNU base-256.
Result<uint64_t> ParseNumericField(std::string_view field);

// One PAX record set, parsed. Unset fields leave the ustar values alone.
struct PaxOverrides {
  std::optional<std::string> path;
  std::optional<std::string> linkpath;
  std::optional<uint64_t> size;
  std::optional<uint64_t> uid;
  std::optional<uint64_t> gid;
  std::optional<int64_t> mtime;
  std::optional<std::string> capability;  // SCHILY.xattr.security.capability
};
Result<PaxOverrides> ParsePaxRecords(std::string_view records);

// Padding needed after `size` data bytes to reach a block boundary.
inline size_t TarPadding(uint64_t size) {
  return static_cast<size_t>((kTarBlockSize - size % kTarBlockSize) % kTarBlockSize);
}

}  // namespace plinth::layer
