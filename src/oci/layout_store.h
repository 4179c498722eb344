// LayoutStore: plinth's local image store, an OCI image layout (image-spec image-layout.md) that
// skopeo, umoci, podman and buildah read as `oci:DIR:REF`.
//
//   DIR/oci-layout                {"imageLayoutVersion":"1.0.0"}
//   DIR/index.json                OCI index; each entry names an image by its familiar reference
//                                 in org.opencontainers.image.ref.name ("pickme/lucid-base:latest-arm64")
//   DIR/blobs/sha256/<hex>        content-addressed blobs
//   DIR/plinth/index.lock         exclusive lock held while index.json is rewritten
//   DIR/plinth/gc.lock            shared by writers and verify, exclusive for gc (gc never races
//                                 a build, pull, copy or import)
//   DIR/plinth/tmp/               blobs being written (same filesystem, so publish is a rename)
//   DIR/plinth/rootfs/            unpacked trees (builder::RootfsCache), reachable by the owner only
//
// Guarantees: a blob appears under its name only after its bytes were hashed and matched (temp
// file, verify, fsync, rename); index.json is replaced atomically under the lock, so two plinth
// processes can tag at once and a killed process never leaves a half-written index.
//
// index.json is read once per process, not once per lookup: a LayoutStore (and its copies) keeps
// it parsed in memory with maps by name and by familiar name, so Resolve is O(1) in the number of
// images and Tag rewrites the file without parsing it again. The view is checked against the
// file's identity (device, inode, size, mtime, ctime) at every read and re-read when another
// process (or another LayoutStore on the same folder) replaced it; a write always re-checks
// under index.lock first, and a Tag that would write the same bytes writes nothing.
//
// Reading trusts nothing of the folder: a blob, index.json or document is opened only as a
// regular file that is not a symlink, and never read past its size (a document read whole past
// kMaxDocumentBytes). A layout opened with OpenExisting is only read: the plinth/ folders are
// created by the first write that needs them, so a read-only layout can be a copy's source.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oci/descriptor.h"
#include "oci/image_config.h"
#include "oci/manifest.h"
#include "oci/reference.h"
#include "util/atomic_file.h"
#include "util/byte_stream.h"
#include "util/file_lock.h"
#include "util/sha256.h"

namespace plinth::oci {

class LayoutStore;

// A blob being written, to a temp file under plinth/tmp. Bytes are hashed as they stream in;
// Commit() checks the digest (and the expected one, if given), waits until the bytes are on
// the device, and renames the file to its digest. Dropping an uncommitted writer removes it.
//
// Durability without a journal commit per blob: the data is written back as it streams (every
// few MiB) and waited for before the rename, so the rename can only become durable after the
// data (the filesystem journals the rename after the blocks were allocated and written, and
// its commit flushes the device cache first). After a crash a blob is missing or complete,
// never short. The journal commit itself comes with the fsync of index.json that names the
// image (Tag), or the filesystem's periodic commit: one commit per build, not one per blob.
class BlobWriter : public ByteSink {
 public:
  BlobWriter(BlobWriter&& other) noexcept;
  BlobWriter& operator=(BlobWriter&&) = delete;
  ~BlobWriter() override;
  Status Write(const void* data, size_t size) override;
  using ByteSink::Write;
  // Publishes the blob; fails with kIntegrity (writing nothing) if `expected` is given and the
  // content does not match it. A writer from NewBlobHashedByCaller() needs `expected`: the
  // digest its caller computed over exactly the bytes it wrote here.
  Result<Descriptor> Commit(std::string media_type, std::optional<Digest> expected = std::nullopt);
  uint64_t bytes() const { return written_; }

 private:
  friend class LayoutStore;
  BlobWriter(const LayoutStore* store, int fd, std::string temp_path, bool hash);
  static Result<BlobWriter> Create(const LayoutStore* store, bool hash);
  void Abandon();
  const LayoutStore* store_;
  int fd_ = -1;
  std::string temp_path_;  // empty once committed or abandoned
  bool hash_;  // false: the caller hashes what it writes (see NewBlobHashedByCaller)
  Sha256 sha_;
  uint64_t written_ = 0;
  uint64_t writeback_from_ = 0;  // bytes before this offset were handed to the disk
  // Large blobs: a thread that makes what was written so far durable (fdatasync) while more
  // is written, so the device's cache is not flushed all at once when the blob is committed.
  struct Flusher;
  std::unique_ptr<Flusher> flusher_;
  uint64_t flush_requested_ = 0;
  Status StopFlusher();
};

struct StoreEntry {
  std::string name;  // the ref.name annotation
  Descriptor descriptor;
};

// The most a document read whole (index.json, a manifest, an index, a config) may hold.
inline constexpr uint64_t kMaxDocumentBytes = 16 << 20;

class LayoutStore {
 public:
  // Opens the layout at `dir`, creating it if it does not exist.
  static Result<LayoutStore> Open(const std::string& dir);
  // Opens an existing layout without writing to it; a missing or foreign folder is an error.
  static Result<LayoutStore> OpenExisting(const std::string& dir);

  const std::string& dir() const { return dir_; }
  std::string BlobPath(const Digest& digest) const;
  bool HasBlob(const Digest& digest) const;

  Result<BlobWriter> NewBlob() const;
  // For a writer fed by something that already hashes every byte it writes (a LayerStream,
  // whose LayerInfo::digest is the sha256 of its output): the bytes are not hashed twice, and
  // Commit() takes that digest as the blob's name. Same temp file, fsync and rename.
  Result<BlobWriter> NewBlobHashedByCaller() const;
  Result<Descriptor> PutBlob(std::string_view bytes, std::string media_type) const;
  Result<std::string> ReadBlob(const Digest& digest) const;  // small documents only
  // A blob's bytes, at most as many as the file held when opened (see the class comment).
  Result<FileSource> OpenBlob(const Digest& digest) const;
  // The same, refused (kIntegrity) unless the file has exactly the descriptor's size.
  Result<FileSource> OpenBlob(const Descriptor& descriptor) const;

  // Names `descriptor` as `name` in index.json (replacing an earlier entry of that name).
  Status Tag(const std::string& name, const Descriptor& descriptor) const;
  Status Untag(const std::string& name) const;
  Result<std::vector<StoreEntry>> List() const;
  // Finds an image by name: exact ref.name, else the familiar form of a parsed reference
  // ("redis" finds "redis:latest"), else a digest ("sha256:…") of a stored manifest or index.
  Result<Descriptor> Resolve(const std::string& name) const;

  // How many times this store (with its copies) has read and parsed index.json: once, then only
  // when another process or LayoutStore replaced it (for tests and benchmarks).
  uint64_t index_reads() const;

  // Typed reads of stored documents.
  Result<Manifest> ReadManifest(const Digest& digest) const;
  Result<Index> ReadIndex(const Digest& digest) const;
  Result<ImageConfig> ReadConfig(const Digest& digest) const;
  // The manifest of `descriptor` for `platform` (descriptor may be a manifest or an index).
  Result<Descriptor> SelectPlatform(const Descriptor& descriptor, const Platform& platform) const;

  // Stores config and manifest for an image whose layer blobs are already in the store.
  Result<Descriptor> WriteImage(const ImageConfig& config, const std::vector<Descriptor>& layers,
                                const std::map<std::string, std::string>& annotations = {}) const;
  Result<Descriptor> WriteIndex(const Index& index) const;

  // Held by anything that writes blobs it has not tagged yet; gc takes it exclusively.
  Result<FileLock> WriterLock() const;
  // Held by what walks images and must not see gc remove their blobs meanwhile (verify).
  Result<FileLock> ReaderLock() const;
  // Exclusive: once held, no writer or reader above is active on this store.
  Result<FileLock> GcLock() const;

 private:
  struct IndexView;  // index.json as last read or written by this process (layout_store.cc)
  explicit LayoutStore(std::string dir);
  // A lock file under DIR/plinth (created with the folder if missing).
  Result<FileLock> Lock(const std::string& name, FileLock::Mode mode) const;
  std::string dir_;
  std::shared_ptr<IndexView> index_;  // shared by copies: same folder, same file
};

}  // namespace plinth::oci
