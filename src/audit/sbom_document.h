// SbomDocument: what an SBOM says about one image, independent of the format it is written in
// (audit/spdx_writer.h, audit/cyclonedx_writer.h): the image (name, manifest digest, platform),
// when it was made, its distribution, its packages and the files no package owns. The writers
// sort what they print, so equal documents give equal bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/image_package.h"

namespace plinth::audit {

struct UnownedFile {
  std::string path;  // relative, no leading "/" ("app/server.py")
  uint64_t size = 0;
  std::string sha256;  // lower-case hex of the content
};

struct SbomDocument {
  std::string image_name;       // "lucid/python:3.11" or the reference given
  std::string manifest_digest;  // "sha256:…" of the image manifest: the described subject
  std::string platform;         // "linux/arm64"
  std::string created;          // RFC 3339 "YYYY-MM-DDThh:mm:ssZ"
  std::string distro;           // purl distro qualifier, "debian-12"; empty when unknown
  std::string tool_version;     // plinth's version
  std::vector<ImagePackage> packages;
  std::vector<UnownedFile> unowned_files;
};

// The purl `distro` qualifier from an os-release file's text: "ID-VERSION_ID" ("debian-12"),
// the ID alone without VERSION_ID (testing, sid), empty without ID. Quotes removed.
std::string DistroFromOsRelease(std::string_view os_release);

// The SBOM's creation time: the image config's `created` when it is an RFC 3339 UTC time
// (fractions dropped), else SOURCE_DATE_EPOCH, else the epoch; always "…T…Z".
std::string SbomTimestamp(std::string_view config_created);

// The documents' stable order: packages by name, architecture, version; files by path.
void SortDocument(SbomDocument* document);

}  // namespace plinth::audit
