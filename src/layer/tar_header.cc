#include "layer/tar_header.h"

#include <cstring>

namespace plinth::layer {
namespace {

// ustar field offsets and sizes.
constexpr size_t kName = 0, kNameLen = 100;
constexpr size_t kMode = 100, kUid = 108, kGid = 116, kIdLen = 8;
constexpr size_t kSize = 124, kMtime = 136, kNumLen = 12;
constexpr size_t kChksum = 148;
constexpr size_t kTypeflag = 156;
constexpr size_t kLinkname = 157;
constexpr size_t kMagic = 257;
constexpr size_t kDevMajor = 329, kDevMinor = 337;
constexpr int64_t kMaxOctalTime = 077777777777LL;

bool IsPlainAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

bool FitsUstar(std::string_view s) { return s.size() <= kNameLen && IsPlainAscii(s); }

std::string HeaderName(const TarEntry& entry) {
  return entry.type == EntryType::kDirectory ? entry.name + "/" : entry.name;
}

char Typeflag(EntryType type) {
  switch (type) {
    case EntryType::kRegular: return '0';
    case EntryType::kHardLink: return '1';
    case EntryType::kSymlink: return '2';
    case EntryType::kCharDevice: return '3';
    case EntryType::kBlockDevice: return '4';
    case EntryType::kDirectory: return '5';
    case EntryType::kFifo: return '6';
  }
  return '0';
}

// A name that fits the 100-byte field: the ASCII-safe prefix of `name` (the PAX record holds
// the real one), so readers that ignore PAX still see something recognisable.
void CopyTruncated(char* field, std::string_view name) {
  size_t n = std::min(name.size(), kNameLen);
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = name[i];
    field[i] = c >= 0x80 ? '_' : static_cast<char>(c);
  }
}

constexpr std::string_view kCapabilityRecord = "SCHILY.xattr.security.capability";

void AppendRecord(std::string* out, std::string_view key, std::string_view value) {
  // "<len> key=value\n" where len counts itself.
  size_t body = 1 + key.size() + 1 + value.size() + 1;
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) len = std::to_string(len).size() + body;
  *out += std::to_string(len);
  *out += ' ';
  *out += key;
  *out += '=';
  *out += value;
  *out += '\n';
}

void FillBlock(TarBlock& block, const std::string& name, const TarEntry& entry, char typeflag,
               uint64_t size) {
  block.fill(0);
  char* b = block.data();
  CopyTruncated(b + kName, name);
  FormatOctal(b + kMode, kIdLen, entry.mode & 07777);
  FormatOctal(b + kUid, kIdLen, entry.uid > kMaxOctalId ? 0 : entry.uid);
  FormatOctal(b + kGid, kIdLen, entry.gid > kMaxOctalId ? 0 : entry.gid);
  FormatOctal(b + kSize, kNumLen, size > kMaxOctalSize ? 0 : size);
  int64_t mtime = entry.mtime < 0 || entry.mtime > kMaxOctalTime ? 0 : entry.mtime;
  FormatOctal(b + kMtime, kNumLen, static_cast<uint64_t>(mtime));
  b[kTypeflag] = typeflag;
  if (entry.type == EntryType::kHardLink || entry.type == EntryType::kSymlink)
    CopyTruncated(b + kLinkname, entry.link_target);
  std::memcpy(b + kMagic, "ustar\0" "00", 8);
  FormatOctal(b + kDevMajor, kIdLen, entry.dev_major);
  FormatOctal(b + kDevMinor, kIdLen, entry.dev_minor);
  // The checksum is computed with its own field as spaces, then written "%06o\0 ".
  std::memset(b + kChksum, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  FormatOctal(b + kChksum, 7, sum);
  b[kChksum + 7] = ' ';
}

}  // namespace

bool FormatOctal(char* field, size_t field_size, uint64_t value) {
  size_t digits = field_size - 1;
  field[digits] = '\0';
  for (size_t i = digits; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  return value == 0;
}

std::string EncodePaxRecords(const TarEntry& entry) {
  std::string records;
  std::string name = HeaderName(entry);
  if (!FitsUstar(name)) AppendRecord(&records, "path", name);
  bool has_link = entry.type == EntryType::kHardLink || entry.type == EntryType::kSymlink;
  if (has_link && !FitsUstar(entry.link_target))
    AppendRecord(&records, "linkpath", entry.link_target);
  if (entry.type == EntryType::kRegular && entry.size > kMaxOctalSize)
    AppendRecord(&records, "size", std::to_string(entry.size));
  if (entry.uid > kMaxOctalId) AppendRecord(&records, "uid", std::to_string(entry.uid));
  if (entry.gid > kMaxOctalId) AppendRecord(&records, "gid", std::to_string(entry.gid));
  if (entry.mtime < 0 || entry.mtime > kMaxOctalTime)
    AppendRecord(&records, "mtime", std::to_string(entry.mtime));
  if (entry.type == EntryType::kRegular && !entry.capability.empty())
    AppendRecord(&records, kCapabilityRecord, entry.capability);
  return records;
}

std::string EncodeTarHeader(const TarEntry& entry) {
  std::string out;
  std::string name = HeaderName(entry);
  std::string records = EncodePaxRecords(entry);
  TarBlock block;
  if (!records.empty()) {
    std::string base = entry.name.substr(entry.name.rfind('/') + 1);
    TarEntry pax;
    pax.mode = 0644;
    pax.mtime = entry.mtime;
    FillBlock(block, "PaxHeaders.0/" + base, pax, 'x', records.size());
    out.append(block.data(), block.size());
    out += records;
    out.append(TarPadding(records.size()), '\0');
  }
  uint64_t size = entry.type == EntryType::kRegular ? entry.size : 0;
  FillBlock(block, name, entry, Typeflag(entry.type), size);
  out.append(block.data(), block.size());
  return out;
}

Result<uint64_t> ParseNumericField(std::string_view field) {
  if (!field.empty() && (static_cast<unsigned char>(field[0]) & 0x80)) {
    // GNU base-256: the rest of the first byte and the following bytes, big-endian.
    if (static_cast<unsigned char>(field[0]) == 0xff)
      return InvalidInput("negative base-256 number in tar header");
    uint64_t value = static_cast<unsigned char>(field[0]) & 0x7f;
    for (size_t i = 1; i < field.size(); ++i) {
      if (value >> 56) return InvalidInput("base-256 number in tar header overflows");
      value = (value << 8) | static_cast<unsigned char>(field[i]);
    }
    return value;
  }
  size_t i = 0;
  while (i < field.size() && (field[i] == ' ' || field[i] == '\0')) ++i;
  uint64_t value = 0;
  for (; i < field.size() && field[i] != ' ' && field[i] != '\0'; ++i) {
    if (field[i] < '0' || field[i] > '7')
      return InvalidInput("bad octal number '" + std::string(field) + "' in tar header");
    if (value >> 60) return InvalidInput("octal number in tar header overflows");
    value = value * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  return value;
}

namespace {

Result<uint64_t> ParseDecimal(std::string_view key, std::string_view text) {
  if (text.empty()) return InvalidInput("empty PAX " + std::string(key));
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return InvalidInput("bad PAX " + std::string(key) + " '" + std::string(text) + "'");
    if (v > (UINT64_MAX - 9) / 10) return InvalidInput("PAX " + std::string(key) + " overflows");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

Result<PaxOverrides> ParsePaxRecords(std::string_view records) {
  PaxOverrides out;
  size_t pos = 0;
  while (pos < records.size()) {
    if (records[pos] == '\0') break;  // padding
    size_t space = records.find(' ', pos);
    if (space == std::string_view::npos) return InvalidInput("truncated PAX record");
    PLINTH_TRY(uint64_t len, ParseDecimal("record length", records.substr(pos, space - pos)));
    if (len < space - pos + 3 || pos + len > records.size() || records[pos + len - 1] != '\n')
      return InvalidInput("malformed PAX record");
    std::string_view body = records.substr(space + 1, pos + len - 1 - (space + 1));
    size_t eq = body.find('=');
    if (eq == std::string_view::npos) return InvalidInput("PAX record without '='");
    std::string_view key = body.substr(0, eq), value = body.substr(eq + 1);
    if (key == "path") {
      out.path = std::string(value);
    } else if (key == "linkpath") {
      out.linkpath = std::string(value);
    } else if (key == "size") {
      PLINTH_TRY(out.size, ParseDecimal(key, value));
    } else if (key == "uid") {
      PLINTH_TRY(out.uid, ParseDecimal(key, value));
    } else if (key == "gid") {
      PLINTH_TRY(out.gid, ParseDecimal(key, value));
    } else if (key == "mtime") {
      // Seconds, possibly negative and with a fraction: keep whole seconds.
      bool negative = !value.empty() && value[0] == '-';
      std::string_view digits = value.substr(negative ? 1 : 0);
      digits = digits.substr(0, digits.find('.'));
      PLINTH_TRY(uint64_t secs, ParseDecimal(key, digits));
      out.mtime = negative ? -static_cast<int64_t>(secs) : static_cast<int64_t>(secs);
    } else if (key == kCapabilityRecord) {
      if (value.empty() || value.size() > kMaxCapabilityBytes)
        return InvalidInput("PAX " + std::string(key) + " of " + std::to_string(value.size()) +
                            " bytes (at most " + std::to_string(kMaxCapabilityBytes) + ")");
      out.capability = std::string(value);
    }
    pos += len;
  }
  return out;
}

}  // namespace plinth::layer
