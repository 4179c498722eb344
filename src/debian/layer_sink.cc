#include "debian/layer_sink.h"

#include <archive.h>
#include <archive_entry.h>

#include <optional>

#include "layer/layer_stream.h"
#include "util/archive_error.h"

namespace plinth::debian {

struct LayerSink::Impl {
  Impl(oci::BlobWriter writer, layer::Compression compression, int level)
      : blob(std::move(writer)), stream(blob, compression, level) {}
  ~Impl() {
    if (tar) archive_write_free(tar);
  }

  static la_ssize_t OnWrite(struct archive*, void* opaque, const void* data, size_t size) {
    auto* self = static_cast<Impl*>(opaque);
    auto s = self->stream.Write(data, size);
    if (!s) {
      self->error = s.error();
      return -1;
    }
    return static_cast<la_ssize_t>(size);
  }

  Error TarError(const std::string& doing) {
    if (error) return error->Context(doing);
    return IoError(doing + ": " + ArchiveErrorText(tar));
  }

  oci::BlobWriter blob;
  layer::LayerStream stream;  // writes to `blob`; declared after it
  struct archive* tar = nullptr;
  std::optional<Error> error;  // first failure inside a libarchive callback
};

LayerSink::LayerSink(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LayerSink::~LayerSink() = default;

Result<std::unique_ptr<LayerSink>> LayerSink::Create(const oci::LayoutStore& store,
                                                     layer::Compression compression, int level) {
  PLINTH_TRY(oci::BlobWriter blob, store.NewBlobHashedByCaller());
  auto impl = std::make_unique<Impl>(std::move(blob), compression, level);
  impl->tar = archive_write_new();
  // GNU tar format: long names through ././@LongLink and names written as the bytes they are
  // (Debian's are UTF-8), where pax would convert them through the C locale and fail.
  archive_write_set_format_gnutar(impl->tar);
  archive_write_set_bytes_per_block(impl->tar, 64 * 1024);
  archive_write_set_bytes_in_last_block(impl->tar, 1);
  if (archive_write_open(impl->tar, impl.get(), nullptr, Impl::OnWrite, nullptr) != ARCHIVE_OK)
    return impl->TarError("starting layer tar");
  return std::unique_ptr<LayerSink>(new LayerSink(std::move(impl)));
}

Status LayerSink::Add(const TarEntry& e, ByteSource* content) {
  std::string where = "writing /" + e.path + " to the layer";
  std::unique_ptr<struct archive_entry, void (*)(struct archive_entry*)> ae(archive_entry_new(),
                                                                             archive_entry_free);
  archive_entry_set_pathname(ae.get(), e.type == EntryType::kDirectory ? (e.path + "/").c_str() : e.path.c_str());
  archive_entry_set_perm(ae.get(), e.mode & 07777);
  archive_entry_set_uid(ae.get(), e.uid);
  archive_entry_set_gid(ae.get(), e.gid);
  archive_entry_set_mtime(ae.get(), e.mtime, 0);
  switch (e.type) {
    case EntryType::kDirectory:
      archive_entry_set_filetype(ae.get(), AE_IFDIR);
      break;
    case EntryType::kSymlink:
      archive_entry_set_filetype(ae.get(), AE_IFLNK);
      archive_entry_set_symlink(ae.get(), e.link_target.c_str());
      break;
    case EntryType::kHardlink:
      archive_entry_set_filetype(ae.get(), AE_IFREG);
      archive_entry_set_hardlink(ae.get(), e.link_target.c_str());
      archive_entry_set_size(ae.get(), 0);
      break;
    case EntryType::kFile:
      archive_entry_set_filetype(ae.get(), AE_IFREG);
      archive_entry_set_size(ae.get(), static_cast<la_int64_t>(e.size));
      break;
    case EntryType::kOther:
      return InvalidInput(where + ": unsupported entry type");
  }
  if (archive_write_header(impl_->tar, ae.get()) < ARCHIVE_OK) return impl_->TarError(where);
  if (e.type != EntryType::kFile) return Ok{};
  static thread_local std::string buffer(1 << 20, '\0');
  uint64_t copied = 0;
  while (copied < e.size) {
    PLINTH_TRY(size_t n, content->Read(buffer.data(), buffer.size()));
    if (n == 0) break;
    if (archive_write_data(impl_->tar, buffer.data(), n) < 0) return impl_->TarError(where);
    copied += n;
  }
  if (copied != e.size) return IntegrityError(where + ": content is shorter than its size");
  return Ok{};
}

Result<LayerResult> LayerSink::Finish() {
  if (archive_write_close(impl_->tar) != ARCHIVE_OK) return impl_->TarError("finishing layer tar");
  PLINTH_TRY(layer::LayerInfo info, impl_->stream.Finish());
  LayerResult result;
  result.uncompressed_size = info.uncompressed_size;
  result.diff_id = info.diff_id;
  PLINTH_TRY(result.descriptor, impl_->blob.Commit(info.media_type, info.digest));
  return result;
}

}  // namespace plinth::debian
