#include "sbom_sample_support.h"

namespace plinth::testing {

audit::SbomDocument SampleSbom() {
  audit::SbomDocument d;
  d.image_name = "lucid/python:3.11";
  d.manifest_digest = "sha256:" + std::string(64, 'a');
  d.platform = "linux/arm64";
  d.created = "2024-05-01T12:00:00Z";
  d.distro = "debian-12";
  d.tool_version = "0.1.0";
  d.packages = {
      {.name = "zlib1g",
       .version = "1:1.2.13.dfsg-1",
       .architecture = "arm64",
       .source = "zlib",
       .licenses = {"Zlib"},
       .record_path = "var/lib/dpkg/status.d/zlib1g"},
      {.name = "libssl3",
       .version = "3.0.15-1~deb12u1",
       .architecture = "arm64",
       .source = "openssl",
       .licenses = {"Apache-2.0", "LicenseRef-public-domain"},
       .record_path = "var/lib/dpkg/status.d/libssl3"},
      {.name = "libgcc-s1",
       .version = "12.2.0-14+b1",
       .architecture = "arm64",
       .source = "gcc-12",
       .source_version = "12.2.0-14",
       .licenses = {"GPL-3.0-or-later"},
       .record_path = "var/lib/dpkg/status.d/libgcc-s1"},
      {.name = "libc6",
       .version = "2.36-9+deb12u9",
       .architecture = "amd64",
       .source = "glibc",
       .record_path = "var/lib/dpkg/status"},
      {.name = "libc6",
       .version = "2.36-9+deb12u9",
       .architecture = "arm64",
       .source = "glibc",
       .record_path = "var/lib/dpkg/status"},
  };
  d.unowned_files = {
      {.path = "app/main.py", .size = 12, .sha256 = std::string(64, 'b')},
      {.path = "etc/passwd", .size = 40, .sha256 = std::string(64, 'c')},
  };
  return d;
}

}  // namespace plinth::testing
