// Recipe: what a distroless-style base image is made of: a Debian suite, architectures,
// packages (with what must never be installed), which paths of those packages to drop, the
// users, extra files and the image config. Recipes live in their own YAML file or inside
// plinth.yaml; the parser takes a YAML node so both share one schema, and every error carries
// FILE:LINE:COL.
//
//   name: python3-debian12            # required; [a-z0-9._-]+
//   suite: bookworm                   # required
//   from: pickme/lucid-base:latest-${ARCH}  # layer the packages over this image (a fleet base):
//                                     # only what its status.d records lack is installed, and
//                                     # its /etc/passwd, /etc/group and CA bundle are kept
//   architectures: [amd64, arm64]
//   mirror: system                    # "system" (the machine's Debian mirror) or a URL
//   sources: [{uri, suite, components}]   # instead of mirror: explicit sources
//   index: {packages: FILE, release: FILE, signature: FILE, debs: DIR}  # air-gapped
//   packages: [base-files, python3]   # roots; "name" or "name=version"
//   exclude: [libgdbm6]               # added to the defaults (dpkg apt perl-base dash bash debconf awk)
//   essential: satisfied | install
//   merged_usr: true                  # /bin -> usr/bin, /lib -> usr/lib, ...
//   path_excludes: [usr/share/doc/**] # replaces the defaults (docs, man, info, locales)
//   path_keep: [usr/share/doc/*/copyright]
//   users: [{name, uid, gid, home}]   # added to root, nobody, nonroot (65532)
//   groups: [{name, gid}]
//   files: [{path, content | symlink | directory: true, mode, uid, gid}]
//   env: {KEY: value}                 # added to PATH and SSL_CERT_FILE
//   entrypoint: [..], cmd: [..], user: "65532", workdir: /home/nonroot
//   labels: {key: value}
//   compression: gzip                 # of the layer: gzip (default, readable everywhere, as
//                                     # distroless publishes), zstd, or none
//
// ${ARCH} (Debian architecture) and ${TRIPLET} (x86_64-linux-gnu) are expanded in files, env,
// entrypoint and cmd.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "debian/apt_source.h"
#include "debian/resolver.h"
#include "layer/compression.h"
#include "util/result.h"

namespace YAML {
class Node;
}

namespace plinth::debian {

struct RecipeUser {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
};

struct RecipeGroup {
  std::string name;
  uint32_t gid = 0;
};

enum class ExtraFileKind { kFile, kSymlink, kDirectory };

struct RecipeFile {
  std::string path;  // absolute in the image
  ExtraFileKind kind = ExtraFileKind::kFile;
  std::string content;  // file content, or symlink target
  uint32_t mode = 0644;
  uint32_t uid = 0;
  uint32_t gid = 0;
};

struct OfflineIndex {
  std::string packages;   // a Packages file
  std::string release;    // InRelease, or Release with `signature`
  std::string signature;  // Release.gpg
  std::string debs;       // folder of .deb files
};

enum class MergedUsr { kYes, kNo };

struct Recipe {
  std::string name;
  std::string file;  // where it was read from
  std::string suite;
  std::string from;  // image the packages are layered over ("" = a base of its own)
  std::vector<std::string> architectures = {"amd64"};
  std::string mirror = "system";
  std::vector<AptSource> sources;       // explicit; empty: from mirror + suite
  std::optional<OfflineIndex> offline;  // air-gapped source
  std::vector<std::string> packages;
  std::set<std::string> excludes;
  EssentialPolicy essential = EssentialPolicy::kSatisfied;
  MergedUsr merged_usr = MergedUsr::kYes;
  std::vector<std::string> path_excludes;
  std::vector<std::string> path_keep;
  std::vector<RecipeUser> users;
  std::vector<RecipeGroup> groups;
  std::vector<RecipeFile> files;
  std::vector<std::pair<std::string, std::string>> env;  // in order
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string user;
  std::string workdir;
  std::map<std::string, std::string> labels;
  layer::Compression compression = layer::Compression::kGzip;

  // sha256 of everything resolution depends on (recorded in the lock as inputs=);
  // `installed` is the digest of the packages the `from` image already has ("" for none).
  std::string ResolutionInputs(const std::string& arch, const std::string& installed = "") const;
  // `from` for one architecture ("" when the recipe layers over nothing).
  std::string FromFor(const std::string& arch) const;
};

Result<Recipe> ParseRecipe(const YAML::Node& node, const std::string& file);
// A recipe file larger than this is refused unread (real ones are a few KiB).
inline constexpr uint64_t kMaxRecipeSize = 1u << 20;  // 1 MiB
Result<Recipe> LoadRecipeFile(const std::string& path);

// ${ARCH} and ${TRIPLET} for `arch`.
std::string ExpandArch(const std::string& text, const std::string& arch);
std::string GnuTriplet(const std::string& arch);

}  // namespace plinth::debian
