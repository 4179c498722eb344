// UnpackPackage: the per-package half of a base build, run on worker threads. It opens a
// .deb, checks that its control file is the package the lock names, and streams data.tar into
// a spool, refusing what must never reach an image: absolute or `..` names, symlinks whose
// target climbs out of the root, device nodes, and ELF files for another machine. Paths the
// recipe drops (docs, man pages, locales) are left out here, before they cost any I/O.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "debian/lock_file.h"
#include "debian/path_filter.h"
#include "util/result.h"

namespace plinth::debian {

struct UnpackOptions {
  const PathFilter* filter = nullptr;
  std::optional<unsigned> machine;  // required e_machine of ELF files; nullopt: no check
  std::string arch;                 // for messages
};

struct UnpackedPackage {
  LockedPackage package;
  std::string control;  // the package's control file (its status.d record)
  std::string md5sums;
  std::string spool;    // spool file with the kept entries
  std::map<std::string, std::string> certificates;  // usr/share/ca-certificates/*.crt
};

Result<UnpackedPackage> UnpackPackage(const std::string& deb_path, const LockedPackage& expected,
                                      const std::string& spool_path, const UnpackOptions& options);

}  // namespace plinth::debian
