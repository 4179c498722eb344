#include "debian/lock_file.h"

#include <algorithm>
#include <sstream>

#include "debian/control_file.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::debian {
namespace {

constexpr std::string_view kHeader = "plinth-lock 1";

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The 1-based column of the `index`th blank-separated field of a line (as `>>` splits it),
// which is `token`.
int ColumnOf(const std::string& line, const std::string& token, int index) {
  size_t pos = 0;
  for (int i = 0; i <= index; ++i) {
    pos = line.find_first_not_of(" \t\n\v\f\r", pos);
    if (pos == std::string::npos) return 1;
    if (i == index) break;
    pos = line.find_first_of(" \t\n\v\f\r", pos);
    if (pos == std::string::npos) return 1;
  }
  return line.compare(pos, token.size(), token) == 0 ? static_cast<int>(pos) + 1 : 1;
}

std::string SectionText(const std::string& recipe, const std::string& arch,
                        const LockSection& section) {
  std::string out = "[" + recipe + "/" + arch + "] inputs=" + section.inputs + "\n";
  for (const auto& p : section.packages) {
    out += p.name + " " + p.version + " " + p.architecture + " sha256:" + p.sha256 + " " +
           std::to_string(p.size) + " " + p.filename + "\n";
  }
  return out;
}

}  // namespace

Result<LockFile> LockFile::Load(const std::string& path) {
  if (!PathExists(path)) return LockFile();
  // A lock comes with the repository: a link to /dev/zero or a huge file must not be read.
  auto text = ReadFileAtMost(path, kMaxLockFileSize);
  if (!text) return text.error().Context("reading lock file");
  return Parse(*text, path);
}

Result<LockFile> LockFile::Parse(std::string_view text, const std::string& file) {
  LockFile lock;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  bool header = false;
  LockSection* current = nullptr;
  while (std::getline(in, line)) {
    ++lineno;
    Location where{file, lineno, 1};
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      if (line != kHeader)
        return InvalidInput("expected '" + std::string(kHeader) + "' (is this a plinth.lock?)", where);
      header = true;
      continue;
    }
    if (line[0] == '[') {
      size_t close = line.find("] inputs=");
      size_t slash = line.find('/');
      if (close == std::string::npos || slash == std::string::npos || slash > close)
        return InvalidInput("expected '[recipe/arch] inputs=HEX'", where);
      std::string inputs = line.substr(close + 9);
      if (!IsHex64(inputs)) return InvalidInput("inputs= must be 64 hex digits", where);
      auto key = std::make_pair(line.substr(1, slash - 1), line.substr(slash + 1, close - slash - 1));
      if (lock.sections_.count(key))
        return InvalidInput("section [" + key.first + "/" + key.second + "] appears twice", where);
      current = &lock.sections_[key];
      current->inputs = inputs;
      continue;
    }
    if (!current) return InvalidInput("package line before any [recipe/arch] section", where);
    std::istringstream fields(line);
    LockedPackage p;
    std::string digest, size, extra;
    if (!(fields >> p.name >> p.version >> p.architecture >> digest >> size >> p.filename) ||
        (fields >> extra))
      return InvalidInput("expected 'package version arch sha256:HEX size filename'", where);
    if (digest.rfind("sha256:", 0) != 0 || !IsHex64(digest.substr(7)))
      return InvalidInput("digest: expected sha256:HEX, found '" + digest.substr(0, 80) + "'",
                          {file, lineno, ColumnOf(line, digest, 3)});
    p.sha256 = digest.substr(7);
    auto bytes = ParseDecimalU64(size);
    if (!bytes) {
      return InvalidInput("size: expected a decimal number of bytes below 2^64, found '" +
                              size.substr(0, 40) + (size.size() > 40 ? "...'" : "'"),
                          {file, lineno, ColumnOf(line, size, 4)});
    }
    p.size = *bytes;
    current->packages.push_back(std::move(p));
  }
  if (!header && lineno > 0) return InvalidInput("empty lock file", {file, 1, 1});
  return lock;
}

const LockSection* LockFile::Find(const std::string& recipe, const std::string& arch) const {
  auto it = sections_.find({recipe, arch});
  return it == sections_.end() ? nullptr : &it->second;
}

void LockFile::Set(const std::string& recipe, const std::string& arch, LockSection section) {
  std::sort(section.packages.begin(), section.packages.end(),
            [](const LockedPackage& a, const LockedPackage& b) { return a.name < b.name; });
  sections_[{recipe, arch}] = std::move(section);
}

std::string LockFile::Serialize() const {
  std::string out = std::string(kHeader) + "\n# Written by `plinth base build`; refresh with --update-lock.\n";
  for (const auto& [key, section] : sections_) out += "\n" + SectionText(key.first, key.second, section);
  return out;
}

std::string LockFile::SectionDigest(const std::string& recipe, const std::string& arch) const {
  const LockSection* s = Find(recipe, arch);
  return s ? Sha256::HexOf(SectionText(recipe, arch, *s)) : "";
}

Status LockFile::Save(const std::string& path) const {
  auto status = WriteFileAtomic(path, Serialize());
  if (!status) return status.error().Context("writing lock file " + path);
  return Ok{};
}

}  // namespace plinth::debian
