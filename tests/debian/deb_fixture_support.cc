#include "debian/deb_fixture_support.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <fstream>

#include "util/sha256.h"

namespace plinth::debian::testing {
namespace {

la_ssize_t Append(struct archive*, void* out, const void* data, size_t size) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
  return static_cast<la_ssize_t>(size);
}

std::string Tar(const std::vector<FixtureEntry>& entries, const std::string& compression) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_gnutar(a);
  if (compression == "xz") archive_write_add_filter_xz(a);
  if (compression == "gzip") archive_write_add_filter_gzip(a);
  if (compression == "zstd") archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  archive_write_open(a, &out, nullptr, Append, nullptr);
  for (const auto& e : entries) {
    struct archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_perm(ae, e.mode);
    archive_entry_set_mtime(ae, 1700000000, 0);
    switch (e.type) {
      case 'd': archive_entry_set_filetype(ae, AE_IFDIR); break;
      case 'l':
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_symlink(ae, e.data.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_hardlink(ae, e.data.c_str());
        break;
      default:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
    }
    EXPECT_EQ(archive_write_header(a, ae), ARCHIVE_OK) << archive_error_string(a);
    if (e.type == 'f') archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

void ArMember(std::string* out, const std::string& name, const std::string& data) {
  char header[61];
  snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name.c_str(), "0", "0", "0",
           "100644", data.size());
  out->append(header, 60);
  out->append(data);
  if (data.size() % 2) out->push_back('\n');
}

}  // namespace

std::string WriteDeb(const std::string& path, const FixtureDeb& deb) {
  std::string control = "Package: " + deb.name + "\nVersion: " + deb.version +
                        "\nArchitecture: " + deb.arch + "\nMaintainer: plinth tests\n" +
                        deb.extra_control + "Description: test fixture\n";
  std::string ext = deb.compression == "gzip" ? ".gz" : deb.compression == "zstd" ? ".zst" : ".xz";
  std::string ar = "!<arch>\n";
  ArMember(&ar, "debian-binary", "2.0\n");
  ArMember(&ar, "control.tar.gz", Tar({{"./control", 'f', control}}, "gzip"));
  ArMember(&ar, "data.tar" + ext, Tar(deb.entries, deb.compression));
  std::ofstream(path, std::ios::binary) << ar;
  return Sha256::HexOf(ar);
}

std::string ElfHead(unsigned machine) {
  std::string h = "\x7f" "ELF";
  h += '\x02';  // 64-bit
  h += '\x01';  // little-endian
  h += '\x01';
  h.append(9, '\0');
  h += '\x02';
  h += '\0';  // e_type EXEC
  h += static_cast<char>(machine & 0xff);
  h += static_cast<char>(machine >> 8);
  h.append(44, '\0');
  return h;
}

}  // namespace plinth::debian::testing
