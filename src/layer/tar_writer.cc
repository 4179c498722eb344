#include "layer/tar_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "layer/layer_stream.h"
#include "layer/tar_header.h"

namespace plinth::layer {
namespace {

constexpr size_t kCopyBuffer = 1 << 20;
const char kZeros[kTarBlockSize * 2] = {};

}  // namespace

Status ValidateMemberName(const std::string& name) {
  if (name.empty()) return InvalidInput("empty tar member name");
  if (name[0] == '/') return InvalidInput("tar member name '" + name + "' is absolute");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string_view part(name.data() + start, end - start);
    if (part.empty() || part == "." || part == "..")
      return InvalidInput("tar member name '" + name + "' is not a clean relative path");
    start = end + 1;
  }
  if (name.find('\0') != std::string::npos)
    return InvalidInput("tar member name contains a NUL byte");
  return Ok{};
}

TarWriter::TarWriter(ByteSink& out) : out_(out), stream_(dynamic_cast<LayerStream*>(&out)) {}

Status TarWriter::Put(const void* data, size_t size) {
  written_ += size;
  return out_.Write(data, size);
}

Status TarWriter::EndEntry() {
  if (remaining_ != 0)
    return Internal("tar member '" + current_ + "' got " + std::to_string(entry_size_ - remaining_) +
                    " of its " + std::to_string(entry_size_) + " bytes");
  size_t pad = TarPadding(entry_size_);
  entry_size_ = 0;
  if (pad) return Put(kZeros, pad);
  return Ok{};
}

Status TarWriter::WriteHeader(const TarEntry& entry) {
  if (finished_) return Internal("writing to a finished tar");
  PLINTH_CHECK(EndEntry());
  PLINTH_CHECK(ValidateMemberName(entry.name));
  if ((entry.type == EntryType::kHardLink || entry.type == EntryType::kSymlink) &&
      entry.link_target.empty())
    return InvalidInput("tar member '" + entry.name + "': " + EntryTypeName(entry.type) +
                        " without a target");
  if (entry.type == EntryType::kHardLink) PLINTH_CHECK(ValidateMemberName(entry.link_target));
  std::string header = EncodeTarHeader(entry);
  PLINTH_CHECK(Put(header.data(), header.size()));
  current_ = entry.name;
  entry_size_ = entry.type == EntryType::kRegular ? entry.size : 0;
  remaining_ = entry_size_;
  return Ok{};
}


Status TarWriter::WriteData(const void* data, size_t size) {
  if (size > remaining_)
    return Internal("tar member '" + current_ + "' is longer than its declared " +
                    std::to_string(entry_size_) + " bytes");
  remaining_ -= size;
  return Put(data, size);
}

Status TarWriter::WriteEntry(const TarEntry& entry, ByteSource* content) {
  PLINTH_CHECK(WriteHeader(entry));
  if (remaining_ == 0) return Ok{};
  if (!content) return Internal("tar member '" + entry.name + "' has a size but no content");
  std::vector<char> buf(std::min<uint64_t>(kCopyBuffer, remaining_));
  while (remaining_ > 0) {
    auto n = content->Read(buf.data(), std::min<uint64_t>(buf.size(), remaining_));
    if (!n) return n.error().Context("reading content of '" + entry.name + "'");
    if (*n == 0)
      return InvalidInput("content of '" + entry.name + "' ended " + std::to_string(remaining_) +
                          " bytes short of its declared size");
    PLINTH_CHECK(WriteData(buf.data(), *n));
  }
  char extra;
  auto more = content->Read(&extra, 1);
  if (!more) return more.error().Context("reading content of '" + entry.name + "'");
  if (*more != 0)
    return InvalidInput("content of '" + entry.name + "' is longer than its declared size");
  return Ok{};
}

Status TarWriter::WriteFile(const TarEntry& entry, const std::string& disk_path) {
  int fd = open(disk_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return ErrnoError("opening " + disk_path, errno);
  struct FdCloser {
    int fd;
    ~FdCloser() { close(fd); }
  } closer{fd};
  // Syscalls are dear here (a VM), and most files in a tree are small: only large files get the
  // readahead hint, and the read that fetches a file's last bytes asks for one byte more, so
  // its short count is the end-of-file check (a second read only when the file filled it).
  if (entry.size > kCopyBuffer) posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  PLINTH_CHECK(WriteHeader(entry));
  if (stream_ && entry.size > kCopyBuffer) {
    // A large file goes straight into the layer stream's buffers (one copy fewer), then one
    // more read checks that it did not grow.
    while (remaining_ > 0) {
      PLINTH_TRY(size_t n, stream_->ReadFrom(fd, remaining_, disk_path));
      if (n == 0) return IoError(disk_path + " shrank while it was being added to the layer");
      remaining_ -= n;
      written_ += n;
    }
    char extra;
    ssize_t n;
    do {
      n = ::read(fd, &extra, 1);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return ErrnoError("reading " + disk_path, errno);
    if (n > 0) return IoError(disk_path + " grew while it was being added to the layer");
    return Ok{};
  }
  thread_local std::vector<char> buf(kCopyBuffer);
  bool at_end = false;
  while (!at_end) {
    size_t want = std::min<uint64_t>(buf.size(), remaining_ + 1);
    ssize_t n = ::read(fd, buf.data(), want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("reading " + disk_path, errno);
    if (static_cast<uint64_t>(n) > remaining_)
      return IoError(disk_path + " grew while it was being added to the layer");
    if (n == 0 && remaining_ > 0)
      return IoError(disk_path + " shrank while it was being added to the layer");
    // A regular file's read comes back short only at its end.
    at_end = static_cast<size_t>(n) < want && static_cast<uint64_t>(n) == remaining_;
    if (n > 0) PLINTH_CHECK(WriteData(buf.data(), static_cast<size_t>(n)));
  }
  return Ok{};
}

Status TarWriter::Finish() {
  if (finished_) return Ok{};
  PLINTH_CHECK(EndEntry());
  finished_ = true;
  return Put(kZeros, sizeof kZeros);
}

Result<TarEntry> EntryFromDisk(const std::string& disk_path, const std::string& name,
                               struct stat* st_out) {
  PLINTH_CHECK(ValidateMemberName(name));
  struct stat st;
  if (lstat(disk_path.c_str(), &st) != 0) return ErrnoError("reading " + disk_path, errno);
  if (st_out) *st_out = st;
  TarEntry e;
  e.name = name;
  e.mode = st.st_mode & 07777;
  e.uid = st.st_uid;
  e.gid = st.st_gid;
  e.mtime = st.st_mtim.tv_sec;
  switch (st.st_mode & S_IFMT) {
    case S_IFREG:
      e.type = EntryType::kRegular;
      e.size = static_cast<uint64_t>(st.st_size);
      break;
    case S_IFDIR:
      e.type = EntryType::kDirectory;
      break;
    case S_IFLNK: {
      e.type = EntryType::kSymlink;
      std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
      ssize_t n = readlink(disk_path.c_str(), target.data(), target.size());
      if (n < 0) return ErrnoError("reading symlink " + disk_path, errno);
      target.resize(static_cast<size_t>(n));
      e.link_target = std::move(target);
      break;
    }
    case S_IFIFO:
      e.type = EntryType::kFifo;
      break;
    case S_IFSOCK:
      return InvalidInput(disk_path + " is a socket; sockets cannot go into a layer (remove it "
                          "or exclude it from the copy)");
    case S_IFCHR:
    case S_IFBLK:
      return InvalidInput(disk_path + " is a device; device files cannot go into a layer "
                          "(remove it or exclude it from the copy)");
    default:
      return InvalidInput(disk_path + " has an unsupported file type");
  }
  return e;
}

}  // namespace plinth::layer
