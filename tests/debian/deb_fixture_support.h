// Hand-made .deb files for tests: real ar + control.tar.gz + data.tar.{xz,gz,zst} archives,
// written with libarchive so that tests can also build the malformed ones dpkg-deb refuses
// to make (`../` names, escaping symlinks, corrupt members).
#pragma once

#include <string>
#include <vector>

namespace plinth::debian::testing {

struct FixtureEntry {
  std::string path;         // as stored, e.g. "./usr/bin/hello"
  char type = 'f';          // 'f' file, 'd' directory, 'l' symlink, 'h' hardlink
  std::string data;         // file content or link target
  unsigned mode = 0644;
};

struct FixtureDeb {
  std::string name = "hello";
  std::string version = "1.0-1";
  std::string arch = "amd64";
  std::string extra_control;  // more "Field: value\n" lines
  std::vector<FixtureEntry> entries;
  std::string compression = "xz";  // data.tar compression: xz, gzip, zstd
};

// Writes the .deb and returns its sha256.
std::string WriteDeb(const std::string& path, const FixtureDeb& deb);

// A minimal ELF header for e_machine (62 x86-64, 183 aarch64).
std::string ElfHead(unsigned machine);

}  // namespace plinth::debian::testing
