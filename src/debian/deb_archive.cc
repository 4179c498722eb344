#include "debian/deb_archive.h"
#include "util/archive_error.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace plinth::debian {
namespace {

// An fd closed on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

// libarchive reads one ar member through this: pread from [offset, offset+size).
struct RangeReader {
  int fd;
  uint64_t offset;
  uint64_t end;
  uint64_t pos;
  char buffer[256 * 1024];
};

la_ssize_t ReadRange(struct archive* a, void* opaque, const void** out) {
  auto* r = static_cast<RangeReader*>(opaque);
  uint64_t left = r->end - r->pos;
  size_t want = left < sizeof(r->buffer) ? left : sizeof(r->buffer);
  if (want == 0) return 0;
  ssize_t n;
  do {
    n = pread(r->fd, r->buffer, want, static_cast<off_t>(r->pos));
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    archive_set_error(a, errno, "read failed");
    return -1;
  }
  if (n == 0) {
    archive_set_error(a, EIO, "unexpected end of file");
    return -1;
  }
  r->pos += n;
  *out = r->buffer;
  return n;
}

// Member content as a ByteSource, read from libarchive's current entry.
class EntrySource : public ByteSource {
 public:
  EntrySource(struct archive* a, std::string where) : a_(a), where_(std::move(where)) {}
  Result<size_t> Read(void* data, size_t size) override {
    la_ssize_t n = archive_read_data(a_, data, size);
    if (n < 0) return IntegrityError(where_ + ": " + ArchiveErrorText(a_));
    return static_cast<size_t>(n);
  }

 private:
  struct archive* a_;
  std::string where_;
};

std::string Field(const char* header, size_t offset, size_t length) {
  std::string s(header + offset, length);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

}  // namespace

Result<DebArchive> DebArchive::Open(const std::string& path) {
  Fd fd{open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) return ErrnoError("opening " + path, errno);
  auto bad = [&](const std::string& why) {
    return IntegrityError("reading " + path + ": not a valid .deb: " + why);
  };
  char magic[8];
  if (pread(fd.fd, magic, 8, 0) != 8 || std::memcmp(magic, "!<arch>\n", 8) != 0)
    return bad("missing ar magic");
  off_t size = lseek(fd.fd, 0, SEEK_END);
  DebArchive deb;
  deb.path_ = path;
  uint64_t pos = 8;
  bool have_binary = false, have_control = false, have_data = false;
  while (pos + 60 <= static_cast<uint64_t>(size)) {
    char header[60];
    if (pread(fd.fd, header, 60, static_cast<off_t>(pos)) != 60) return bad("short member header");
    if (header[58] != '`' || header[59] != '\n') return bad("corrupt member header");
    std::string name = Field(header, 0, 16);
    if (!name.empty() && name.back() == '/') name.pop_back();
    std::string size_text = Field(header, 48, 10);
    if (size_text.empty() || size_text.find_first_not_of("0123456789") != std::string::npos)
      return bad("member size is not a number");
    uint64_t member_size = std::stoull(size_text);
    uint64_t data_at = pos + 60;
    if (data_at + member_size > static_cast<uint64_t>(size)) return bad("member '" + name + "' is truncated");
    if (name == "debian-binary") {
      char version[4] = {};
      if (member_size < 4 || pread(fd.fd, version, 4, static_cast<off_t>(data_at)) != 4 ||
          std::memcmp(version, "2.", 2) != 0)
        return bad("unsupported format version");
      have_binary = true;
    } else if (name.rfind("control.tar", 0) == 0) {
      deb.control_ = {data_at, member_size};
      have_control = true;
    } else if (name.rfind("data.tar", 0) == 0) {
      deb.data_ = {data_at, member_size};
      deb.data_name_ = name;
      have_data = true;
    }
    pos = data_at + member_size + (member_size & 1);
  }
  if (!have_binary) return bad("no debian-binary member");
  if (!have_control) return bad("no control.tar member");
  if (!have_data) return bad("no data.tar member");
  return deb;
}

Status DebArchive::ForEachEntry(const Member& member, const std::string& what,
                                const Visitor& visit) const {
  std::string where = "reading " + what + " of " + path_;
  Fd fd{open(path_.c_str(), O_RDONLY | O_CLOEXEC)};
  if (fd.fd < 0) return ErrnoError(where, errno);
  auto reader = std::make_unique<RangeReader>();
  reader->fd = fd.fd;
  reader->offset = reader->pos = member.offset;
  reader->end = member.offset + member.size;
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open(a.get(), reader.get(), nullptr, ReadRange, nullptr) != ARCHIVE_OK)
    return IntegrityError(where + ": " + ArchiveErrorText(a.get()));
  TarEntry entry;
  while (true) {
    struct archive_entry* e = nullptr;
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) return IntegrityError(where + ": " + ArchiveErrorText(a.get()));
    const char* name = archive_entry_pathname(e);
    entry.path = name ? name : "";
    entry.mode = archive_entry_perm(e) & 07777;
    entry.uid = static_cast<uint32_t>(archive_entry_uid(e));
    entry.gid = static_cast<uint32_t>(archive_entry_gid(e));
    const char* un = archive_entry_uname(e);
    const char* gn = archive_entry_gname(e);
    entry.uname = un ? un : "";
    entry.gname = gn ? gn : "";
    entry.mtime = archive_entry_mtime(e);
    entry.link_target.clear();
    entry.size = 0;
    const char* hardlink = archive_entry_hardlink(e);
    if (hardlink) {
      entry.type = EntryType::kHardlink;
      entry.link_target = hardlink;
    } else {
      switch (archive_entry_filetype(e)) {
        case AE_IFREG:
          entry.type = EntryType::kFile;
          entry.size = static_cast<uint64_t>(archive_entry_size(e));
          break;
        case AE_IFDIR: entry.type = EntryType::kDirectory; break;
        case AE_IFLNK:
          entry.type = EntryType::kSymlink;
          entry.link_target = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
          break;
        default: entry.type = EntryType::kOther; break;
      }
    }
    EntrySource content(a.get(), where);
    PLINTH_CHECK(visit(entry, content));
  }
  return Ok{};
}

Result<DebControl> DebArchive::ReadControl() const {
  DebControl out;
  auto status = ForEachEntry(control_, "control.tar", [&](const TarEntry& e, ByteSource& content) -> Status {
    std::string name = e.path;
    if (name.rfind("./", 0) == 0) name = name.substr(2);
    std::string* target = name == "control" ? &out.control
                        : name == "md5sums" ? &out.md5sums
                        : name == "conffiles" ? &out.conffiles : nullptr;
    if (!target || e.type != EntryType::kFile) return Ok{};
    if (e.size > (16u << 20)) return IntegrityError(path_ + ": control member " + name + " is too large");
    StringSink sink;
    PLINTH_CHECK(CopyStream(content, sink));
    *target = sink.str();
    return Ok{};
  });
  if (!status) return status.error();
  if (out.control.empty()) return IntegrityError("reading " + path_ + ": control.tar has no control file");
  return out;
}

Status DebArchive::ForEachDataEntry(const Visitor& visit) const {
  return ForEachEntry(data_, data_name_, visit);
}

}  // namespace plinth::debian
