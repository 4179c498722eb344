// DpkgDatabase: the packages of an image and the files none of them owns, read in one
// streaming walk of its merged filesystem (audit/merged_filesystem.h): the dpkg records
// (/var/lib/dpkg/status and status.d/*, audit/dpkg_records.h), the file lists
// (/var/lib/dpkg/info/*.list, status.d/*.md5sums), the DEP-5 copyright files
// (/usr/share/doc/PKG/copyright) and /etc/os-release. Every regular file outside dpkg's own
// folder is hashed while it streams past, so the files no package lists can be named with their
// SHA-256 without a second pass. Everything read is bounded (dpkg_records.h, dep5_copyright.h);
// the result is kept only when the walk (and with it every layer's digest) succeeds.
#pragma once

#include <string>
#include <vector>

#include "audit/image_package.h"
#include "audit/sbom_document.h"
#include "oci/image.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::audit {

inline constexpr size_t kMaxImageFiles = 1u << 20;  // regular files hashed, as the walk's bound
inline constexpr size_t kMaxOsRelease = 64u << 10;

struct DpkgDatabase {
  std::vector<ImagePackage> packages;      // sorted by name, architecture
  std::vector<UnownedFile> unowned_files;  // sorted by path
  std::string distro;                      // "debian-12" from os-release; empty when unknown
  bool has_file_lists = false;             // some package said which files it owns
};

// `name` names the image in errors.
Result<DpkgDatabase> ReadDpkgDatabase(const oci::LayoutStore& store, const oci::Image& image,
                                      const std::string& name);

}  // namespace plinth::audit
