#include "debian/release_file.h"

#include <sstream>

#include "debian/control_file.h"
#include "util/byte_stream.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/subprocess.h"

namespace plinth::debian {

Result<ReleaseFile> ReleaseFile::Parse(std::string_view text, const std::string& file) {
  PLINTH_TRY(auto paragraphs, ParseControl(text, file));
  if (paragraphs.empty()) return InvalidInput("empty Release file", {file, 1, 1});
  const ControlParagraph& p = paragraphs.front();
  ReleaseFile out;
  out.suite = p.GetOr("Suite");
  out.codename = p.GetOr("Codename");
  std::istringstream lines(p.GetOr("SHA256"));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string hash, size, name;
    if (!(fields >> hash >> size >> name)) continue;
    auto bytes = ParseDecimalU64(size);
    if (!bytes)
      return InvalidInput("SHA256: size of " + name.substr(0, 200) + " is not a decimal number below 2^64",
                          {file, p.LineOf("SHA256"), 1});
    out.sha256[name] = {hash, *bytes};
  }
  if (out.sha256.empty()) return InvalidInput("Release file lists no SHA256 sums", {file, p.line, 1});
  return out;
}

Result<std::string> VerifyRelease(const std::string& release, const std::string& signature,
                                  const std::string& keyring) {
  std::string where = "verifying " + release + " against " + keyring;
  auto gpgv = FindProgram("gpgv");
  if (!gpgv) return NotFound(where + ": gpgv is not installed (apt-get install gpgv)");
  // For an InRelease, --output extracts exactly the text the signature covers.
  PLINTH_TRY(TempDir tmp, TempDir::Create("plinth-gpgv"));
  std::string out = tmp.path() + "/Release";
  std::vector<std::string> argv = {*gpgv, "--keyring", keyring};
  if (signature.empty()) {
    argv.insert(argv.end(), {"--output", out, release});
  } else {
    argv.insert(argv.end(), {signature, release});
  }
  PLINTH_TRY(SubprocessResult r, RunProcess(argv));
  if (!r.ok()) {
    std::string why = r.err;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return IntegrityError(where + ": signature check failed: " + why);
  }
  return ReadFile(signature.empty() ? out : release);
}

Status CheckListed(const ReleaseFile& release, const std::string& packages_path) {
  PLINTH_TRY(FileSource in, FileSource::Open(packages_path));
  Sha256 hash;
  char buffer[1 << 16];
  while (true) {
    PLINTH_TRY(size_t n, in.Read(buffer, sizeof buffer));
    if (n == 0) break;
    hash.Update(buffer, n);
  }
  uint64_t size = hash.bytes();
  std::string hex = hash.FinishHex();
  for (const auto& [name, entry] : release.sha256) {
    if (entry.first == hex && entry.second == size) return Ok{};
  }
  return IntegrityError("checking " + packages_path + ": its sha256 " + hex +
                        " is not listed in the signed Release file");
}

}  // namespace plinth::debian
