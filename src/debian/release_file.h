// ReleaseFile: a suite's Release (or clearsigned InRelease) file, which lists the sha256 of
// every index in the suite. For an index given by hand (air-gapped builds) plinth checks the
// signature with gpgv against debian-archive-keyring, then that the Packages file's hash and
// size are listed, so a Packages file is trusted only through a signature Debian made.
#pragma once

#include <map>
#include <string>

#include "util/result.h"

namespace plinth::debian {

inline constexpr const char* kDebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

struct ReleaseFile {
  std::string suite;
  std::string codename;
  // path in the suite ("main/binary-amd64/Packages") -> (sha256, size)
  std::map<std::string, std::pair<std::string, uint64_t>> sha256;

  // Parses Release content (the signed text of an InRelease, or a plain Release).
  static Result<ReleaseFile> Parse(std::string_view text, const std::string& file);
};

// Verifies `release` with gpgv against `keyring`. For an InRelease, `signature` is empty; for a
// Release, it is the detached Release.gpg. Returns the verified Release text.
Result<std::string> VerifyRelease(const std::string& release, const std::string& signature,
                                  const std::string& keyring = kDebianKeyring);

// Checks that the file at `packages_path` is listed in `release` with the same sha256 and size.
Status CheckListed(const ReleaseFile& release, const std::string& packages_path);

}  // namespace plinth::debian
