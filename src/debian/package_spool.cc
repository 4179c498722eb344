#include "debian/package_spool.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace plinth::debian {
namespace {

constexpr size_t kBuffer = 1 << 20;

template <typename T>
bool Put(FILE* f, T v) {
  return fwrite(&v, sizeof v, 1, f) == 1;
}
template <typename T>
bool Get(FILE* f, T* v) {
  return fread(v, sizeof *v, 1, f) == 1;
}

}  // namespace

Result<SpoolWriter> SpoolWriter::Create(const std::string& path) {
  FILE* f = fopen(path.c_str(), "wbe");
  if (!f) return ErrnoError("creating spool " + path, errno);
  setvbuf(f, nullptr, _IOFBF, kBuffer);
  return SpoolWriter(f, path);
}

SpoolWriter::~SpoolWriter() {
  if (file_) fclose(file_);
}

Status SpoolWriter::Add(const TarEntry& e, ByteSource* content, std::string* head,
                        std::string* whole) {
  bool ok = Put(file_, static_cast<uint8_t>(e.type)) && Put(file_, e.mode) && Put(file_, e.uid) &&
            Put(file_, e.gid) && Put(file_, e.mtime) &&
            Put(file_, static_cast<uint16_t>(e.path.size())) &&
            fwrite(e.path.data(), 1, e.path.size(), file_) == e.path.size() &&
            Put(file_, static_cast<uint16_t>(e.link_target.size())) &&
            fwrite(e.link_target.data(), 1, e.link_target.size(), file_) == e.link_target.size() &&
            Put(file_, e.type == EntryType::kFile ? e.size : uint64_t{0});
  if (!ok) return ErrnoError("writing spool " + path_, errno);
  if (e.type != EntryType::kFile) return Ok{};
  static thread_local std::string buffer(kBuffer, '\0');
  uint64_t copied = 0;
  size_t head_want = head ? head->capacity() : 0;
  if (head) head->clear();
  while (copied < e.size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), e.size - copied));
    PLINTH_TRY(size_t n, content->Read(buffer.data(), want));
    if (n == 0) break;
    if (head && head->size() < head_want)
      head->append(buffer.data(), std::min(n, head_want - head->size()));
    if (whole) whole->append(buffer.data(), n);
    if (fwrite(buffer.data(), 1, n, file_) != n) return ErrnoError("writing spool " + path_, errno);
    copied += n;
  }
  if (copied != e.size)
    return IntegrityError(e.path + ": archive member is shorter than its header says");
  return Ok{};
}

Status SpoolWriter::Close() {
  FILE* f = file_;
  file_ = nullptr;
  if (fclose(f) != 0) return ErrnoError("writing spool " + path_, errno);
  return Ok{};
}

Result<SpoolReader> SpoolReader::Open(const std::string& path) {
  FILE* f = fopen(path.c_str(), "rbe");
  if (!f) return ErrnoError("opening spool " + path, errno);
  setvbuf(f, nullptr, _IOFBF, kBuffer);
  return SpoolReader(f, path);
}

SpoolReader::~SpoolReader() {
  if (file_) fclose(file_);
}

Result<bool> SpoolReader::Next(TarEntry* e) {
  if (left_ > 0 && fseeko(file_, static_cast<off_t>(left_), SEEK_CUR) != 0)
    return ErrnoError("reading spool " + path_, errno);
  left_ = 0;
  uint8_t type;
  if (!Get(file_, &type)) {
    if (feof(file_)) return false;
    return ErrnoError("reading spool " + path_, errno);
  }
  uint16_t path_len, link_len;
  bool ok = Get(file_, &e->mode) && Get(file_, &e->uid) && Get(file_, &e->gid) &&
            Get(file_, &e->mtime) && Get(file_, &path_len);
  if (ok) {
    e->path.resize(path_len);
    ok = fread(e->path.data(), 1, path_len, file_) == path_len && Get(file_, &link_len);
  }
  if (ok) {
    e->link_target.resize(link_len);
    ok = fread(e->link_target.data(), 1, link_len, file_) == link_len && Get(file_, &e->size);
  }
  if (!ok) return IntegrityError("reading spool " + path_ + ": truncated record");
  e->type = static_cast<EntryType>(type);
  left_ = e->size;
  return true;
}

Result<size_t> SpoolReader::Content::Read(void* data, size_t size) {
  size_t want = static_cast<size_t>(std::min<uint64_t>(size, r_->left_));
  if (want == 0) return size_t{0};
  size_t n = fread(data, 1, want, r_->file_);
  if (n == 0) return IntegrityError("reading spool " + r_->path_ + ": truncated content");
  r_->left_ -= n;
  return n;
}

}  // namespace plinth::debian
