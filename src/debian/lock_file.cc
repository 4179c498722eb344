#include "debian/lock_file.h"

#include <algorithm>
#include <sstream>

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
  PLINTH_TRY(std::string text, ReadFile(path));
  return Parse(text, path);
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
      return InvalidInput("bad digest '" + digest + "'", {file, lineno, 1});
    p.sha256 = digest.substr(7);
    if (size.find_first_not_of("0123456789") != std::string::npos)
      return InvalidInput("bad size '" + size + "'", where);
    p.size = std::stoull(size);
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
