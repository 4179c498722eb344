// ImagePackage: one Debian package an image holds, as its dpkg records say (the multi-record
// /var/lib/dpkg/status, or the one-record-per-package /var/lib/dpkg/status.d/NAME that
// distroless and `plinth base build` write). The SBOM writers and the vulnerability matcher
// both read this; audit/dpkg_database.h makes it from an image.
#pragma once

#include <string>
#include <vector>

namespace plinth::audit {

struct ImagePackage {
  std::string name;                   // "libssl3"
  std::string version;                // "3.0.15-1~deb12u1" (Debian version, epoch included if any)
  std::string architecture;           // "arm64", "amd64", "all"
  std::string source;                 // source package ("openssl"); the name itself when absent
  std::string source_version;         // the source's version when it differs ("Source: x (1.2-3)")
  std::vector<std::string> licenses;  // SPDX ids from a DEP-5 copyright file; empty: unknown
  std::string record_path;  // the file the record came from ("var/lib/dpkg/status.d/libssl3")
};

}  // namespace plinth::audit
