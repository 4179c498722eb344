// ArchiveErrorText: libarchive's message for the last error of an archive handle. libarchive
// leaves the message unset after some failures (an archive it cannot recognise, a corrupt gzip
// member), and formatting a null message would crash, so every caller goes through this.
#pragma once

#include <archive.h>

#include <string>

namespace plinth {

inline std::string ArchiveErrorText(struct archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "malformed or unrecognised archive";
}

}  // namespace plinth
