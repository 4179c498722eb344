#include "layer/tar_reader.h"

#include <cstring>

#include "layer/tar_header.h"

namespace plinth::layer {
namespace {

constexpr uint64_t kMaxRecord = 1 << 20;

std::string FieldString(const char* field, size_t size) {
  return std::string(field, strnlen(field, size));
}

bool IsZeroBlock(const TarBlock& block) {
  for (char c : block)
    if (c) return false;
  return true;
}

bool ChecksumMatches(const TarBlock& block, uint64_t expected) {
  unsigned long unsigned_sum = 0;
  long signed_sum = 0;
  for (size_t i = 0; i < block.size(); ++i) {
    char c = (i >= 148 && i < 156) ? ' ' : block[i];
    unsigned_sum += static_cast<unsigned char>(c);
    signed_sum += static_cast<signed char>(c);
  }
  return unsigned_sum == expected || static_cast<uint64_t>(signed_sum) == expected;
}

}  // namespace

Result<std::string> CleanMemberName(std::string_view raw) {
  if (raw.empty()) return InvalidInput("tar member with an empty name");
  if (raw[0] == '/') return InvalidInput("tar member '" + std::string(raw) + "' has an absolute name");
  std::string out;
  size_t start = 0;
  while (start <= raw.size()) {
    size_t end = raw.find('/', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view part = raw.substr(start, end - start);
    if (part == "..")
      return InvalidInput("tar member '" + std::string(raw) + "' has a '..' component");
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += part;
    }
    start = end + 1;
  }
  if (out.empty()) return std::string(".");
  return out;
}

Status TarReader::ReadFull(void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    PLINTH_TRY(size_t n, in_.Read(p, size));
    if (n == 0) return InvalidInput("tar stream truncated at byte " + std::to_string(offset_));
    p += n;
    size -= n;
    offset_ += n;
  }
  return Ok{};
}

Status TarReader::Skip(uint64_t size) {
  char buf[64 * 1024];
  while (size > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, sizeof buf));
    PLINTH_CHECK(ReadFull(buf, n));
    size -= n;
  }
  return Ok{};
}

Result<std::string> TarReader::ReadRecord(uint64_t size, const char* what) {
  if (size > kMaxRecord)
    return InvalidInput(std::string(what) + " of " + std::to_string(size) + " bytes is too large");
  std::string data(static_cast<size_t>(size), '\0');
  PLINTH_CHECK(ReadFull(data.data(), data.size()));
  PLINTH_CHECK(Skip(TarPadding(size)));
  return data;
}

Result<size_t> TarReader::Read(void* data, size_t size) {
  size_t n = static_cast<size_t>(std::min<uint64_t>(size, remaining_));
  if (n == 0) return size_t{0};
  PLINTH_TRY(size_t got, in_.Read(data, n));
  if (got == 0) return InvalidInput("tar stream truncated at byte " + std::to_string(offset_));
  remaining_ -= got;
  offset_ += got;
  return got;
}

Result<std::optional<TarEntry>> TarReader::Next() {
  if (done_) return std::optional<TarEntry>();
  PLINTH_CHECK(Skip(remaining_ + padding_));
  remaining_ = 0;
  padding_ = 0;
  PaxOverrides pax;
  std::optional<std::string> long_name, long_link;
  for (;;) {
    TarBlock block;
    uint64_t header_offset = offset_;
    PLINTH_CHECK(ReadFull(block.data(), block.size()));
    if (IsZeroBlock(block)) {
      done_ = true;  // the second zero block and any padding need not be read
      return std::optional<TarEntry>();
    }
    const char* b = block.data();
    std::string where = "tar header at byte " + std::to_string(header_offset);
    PLINTH_TRY(uint64_t checksum, ParseNumericField(std::string_view(b + 148, 8)));
    if (!ChecksumMatches(block, checksum))
      return InvalidInput(where + ": bad checksum (not a tar stream, or corrupt)");
    PLINTH_TRY(uint64_t size, ParseNumericField(std::string_view(b + 124, 12)));
    char type = b[156];
    if (type == 'x') {
      PLINTH_TRY(std::string records, ReadRecord(size, "PAX header"));
      PLINTH_TRY(pax, ParsePaxRecords(records));
      continue;
    }
    if (type == 'g') {  // global PAX header: nothing in it changes how we extract
      PLINTH_CHECK(Skip(size + TarPadding(size)));
      continue;
    }
    if (type == 'L' || type == 'K') {
      PLINTH_TRY(std::string record, ReadRecord(size, "GNU long name"));
      record.resize(strnlen(record.data(), record.size()));
      (type == 'L' ? long_name : long_link) = std::move(record);
      continue;
    }

    TarEntry e;
    std::string name = FieldString(b, 100);
    if (std::memcmp(b + 257, "ustar", 5) == 0 && b[345] != '\0')
      name = FieldString(b + 345, 155) + "/" + name;
    if (long_name) name = *long_name;
    if (pax.path) name = *pax.path;
    std::string link = FieldString(b + 157, 100);
    if (long_link) link = *long_link;
    if (pax.linkpath) link = *pax.linkpath;
    PLINTH_TRY(uint64_t mode, ParseNumericField(std::string_view(b + 100, 8)));
    PLINTH_TRY(e.uid, ParseNumericField(std::string_view(b + 108, 8)));
    PLINTH_TRY(e.gid, ParseNumericField(std::string_view(b + 116, 8)));
    PLINTH_TRY(uint64_t mtime, ParseNumericField(std::string_view(b + 136, 12)));
    e.mode = static_cast<uint32_t>(mode & 07777);
    e.mtime = static_cast<int64_t>(mtime);
    if (pax.uid) e.uid = *pax.uid;
    if (pax.gid) e.gid = *pax.gid;
    if (pax.mtime) e.mtime = *pax.mtime;
    if (pax.size) size = *pax.size;
    if (pax.capability) e.capability = *pax.capability;
    switch (type) {
      case '0': case '\0': case '7': e.type = EntryType::kRegular; break;
      case '1': e.type = EntryType::kHardLink; break;
      case '2': e.type = EntryType::kSymlink; break;
      case '3': e.type = EntryType::kCharDevice; break;
      case '4': e.type = EntryType::kBlockDevice; break;
      case '5': e.type = EntryType::kDirectory; break;
      case '6': e.type = EntryType::kFifo; break;
      default:
        return InvalidInput(where + ": unsupported member type '" + std::string(1, type) +
                            "' for '" + name + "'");
    }
    // Old tars mark directories by a trailing slash on a regular-file entry.
    if (e.type == EntryType::kRegular && !name.empty() && name.back() == '/')
      e.type = EntryType::kDirectory;
    auto clean = CleanMemberName(name);
    if (!clean) return clean.error().Context(where);
    e.name = std::move(*clean);
    if (e.type == EntryType::kHardLink) {
      auto target = CleanMemberName(link);
      if (!target) return target.error().Context(where + ": hard link '" + e.name + "'");
      e.link_target = std::move(*target);
    } else if (e.type == EntryType::kSymlink) {
      if (link.empty()) return InvalidInput(where + ": symlink '" + e.name + "' has no target");
      e.link_target = std::move(link);
    }
    if (e.type == EntryType::kCharDevice || e.type == EntryType::kBlockDevice) {
      PLINTH_TRY(uint64_t major, ParseNumericField(std::string_view(b + 329, 8)));
      PLINTH_TRY(uint64_t minor, ParseNumericField(std::string_view(b + 337, 8)));
      e.dev_major = static_cast<uint32_t>(major);
      e.dev_minor = static_cast<uint32_t>(minor);
    }
    // Only regular files carry data; a size on anything else is skipped (hard links in some
    // tars repeat the size but store no data).
    uint64_t data = e.type == EntryType::kRegular ? size : 0;
    if (e.type != EntryType::kRegular && e.type != EntryType::kHardLink && size > 0)
      data = size;
    e.size = e.type == EntryType::kRegular ? size : 0;
    remaining_ = e.type == EntryType::kRegular ? size : 0;
    padding_ = TarPadding(data);
    if (e.type != EntryType::kRegular) padding_ += static_cast<size_t>(data);
    return std::optional<TarEntry>(std::move(e));
  }
}

}  // namespace plinth::layer
