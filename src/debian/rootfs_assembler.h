// RootfsAssembler: builds a distroless-style root filesystem from verified .debs, streaming it
// into a RootfsSink (a layer writer) without executing anything from the packages:
//
//   1. the skeleton: merged-/usr links, /tmp (1777), /root, /home/nonroot (65532);
//   2. each package in name order, its data.tar decompressed on worker threads (both cores)
//      into spools and merged in order, so the entry order never depends on thread timing;
//   3. what maintainer scripts would have made: /etc/passwd and /etc/group, the CA bundle
//      /etc/ssl/certs/ca-certificates.crt from ca-certificates' certificates, a default
//      /etc/nsswitch.conf, and /var/lib/dpkg/status.d/<package> (+ .md5sums) records, as
//      distroless writes them, which trivy, syft and plinth's SBOM read;
//   4. the recipe's extra files.
#pragma once

#include <string>
#include <vector>

#include "debian/lock_file.h"
#include "debian/recipe.h"
#include "debian/rootfs_sink.h"
#include "util/result.h"

namespace plinth::debian {

struct PackageFile {
  LockedPackage package;
  std::string deb_path;  // verified .deb
};

struct AssembleOptions {
  std::string arch;
  std::string tmp_dir;       // for spools
  int jobs = 0;              // 0: hardware concurrency
  int64_t source_date_epoch = 0;  // generated entries' mtime; package mtimes clamped to it if > 0
  // A layer over an image that has its own /etc/passwd, /etc/group and /etc/nsswitch.conf (a
  // recipe's `from`): they are left to it, as is the CA bundle unless this layer adds
  // certificates.
  bool over_image = false;
};

struct AssembleReport {
  size_t entries = 0;
  size_t certificates = 0;
  std::vector<std::string> duplicates;
};

Result<AssembleReport> AssembleRootfs(const Recipe& recipe, const std::vector<PackageFile>& packages,
                                      const AssembleOptions& options, RootfsSink* sink);

}  // namespace plinth::debian
