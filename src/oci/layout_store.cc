#include "oci/layout_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "oci/media_types.h"
#include "util/fs.h"

namespace plinth::oci {
namespace {

constexpr std::string_view kLayoutFile = R"({"imageLayoutVersion":"1.0.0"})";
constexpr uint64_t kWritebackStep = 2 << 20;
constexpr uint64_t kFlushStep = 32 << 20;

std::string FamiliarOrSame(const std::string& name) {
  auto ref = Reference::Parse(name);
  return ref ? ref->Familiar() : name;
}

// A whole document of a layout, read as the class comment says.
Result<std::string> ReadDocument(const std::string& path) {
  PLINTH_TRY(FileSource source, FileSource::OpenRegular(path));
  if (source.size() > kMaxDocumentBytes)
    return IntegrityError(path + " holds " + std::to_string(source.size()) +
                          " bytes, more than a document may (" +
                          std::to_string(kMaxDocumentBytes) + ")");
  std::string out(static_cast<size_t>(source.size()), '\0');
  size_t have = 0;
  while (have < out.size()) {
    PLINTH_TRY(size_t n, source.Read(out.data() + have, out.size() - have));
    if (n == 0) break;
    have += n;
  }
  out.resize(have);
  return out;
}

// What tells one index.json from another without reading it: written by rename, a new version
// is a new inode (and the mtime and ctime move too); compared whole, so a reused inode number
// alone does not fool it.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = -1;
  timespec mtime{};
  timespec ctime{};
  bool operator==(const FileIdentity& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec && ctime.tv_sec == o.ctime.tv_sec &&
           ctime.tv_nsec == o.ctime.tv_nsec;
  }
};

std::optional<FileIdentity> IdentityOf(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

const std::string& NameOf(const Descriptor& d) {
  static const std::string kNone;
  auto it = d.annotations.find(kRefNameAnnotation);
  return it == d.annotations.end() ? kNone : it->second;
}

}  // namespace

// index.json as this process last read or wrote it, with its lookups. Guarded by `mu`; a writer
// takes index.lock first, then `mu`.
struct LayoutStore::IndexView {
  std::mutex mu;
  bool fresh = false;  // false: the file is read again at the next look
  FileIdentity identity;  // of the file `index` was read from or written to
  Index index;
  std::vector<std::string> entry_json;  // index.manifests[i] as the file spells it
  std::unordered_map<std::string, std::vector<size_t>> by_name;  // ref.name → positions, in order
  bool familiar_built = false;  // by_familiar is built at the first look that needs it
  std::unordered_map<std::string, size_t> by_familiar;  // familiar name → first position
  uint64_t reads = 0;

  // Brings the view in step with the file at `path`.
  Status Refresh(const std::string& path) {
    for (int attempt = 0;; ++attempt) {
      auto before = IdentityOf(path);
      if (fresh && before && *before == identity) return Ok{};
      fresh = false;
      ++reads;
      PLINTH_TRY(std::string bytes, ReadDocument(path));
      auto after = IdentityOf(path);
      auto parsed = Index::Parse(bytes);
      if (!parsed) return parsed.error().Context("reading " + path);
      Load(std::move(*parsed));
      // Replaced while it was read: what was read is a whole version (writes are renames), but
      // perhaps not the latest; read again, and after a few tries answer from it (the next look
      // reads the file again).
      if (before && after && *before == *after) {
        identity = *before;
        fresh = true;
        return Ok{};
      }
      if (attempt == 2) return Ok{};
    }
  }

  void Load(Index parsed) {
    index = std::move(parsed);
    entry_json.clear();
    entry_json.reserve(index.manifests.size());
    for (const auto& d : index.manifests) entry_json.push_back(d.ToJson().dump());
    IndexNames();
  }

  void IndexNames() {
    by_name.clear();
    for (size_t i = 0; i < index.manifests.size(); ++i)
      by_name[NameOf(index.manifests[i])].push_back(i);
    familiar_built = false;
    by_familiar.clear();
  }

  const std::unordered_map<std::string, size_t>& Familiar() {
    if (!familiar_built) {
      for (size_t i = 0; i < index.manifests.size(); ++i)
        by_familiar.emplace(FamiliarOrSame(NameOf(index.manifests[i])), i);
      familiar_built = true;
    }
    return by_familiar;
  }

  // The same bytes as Index::ToJsonString(), from the entries' cached JSON.
  std::string Serialize() const {
    nlohmann::json j;
    j["schemaVersion"] = 2;
    j["mediaType"] = index.media_type;
    j["manifests"] = nlohmann::json::array();
    if (!index.annotations.empty()) j["annotations"] = index.annotations;
    std::string frame = j.dump();
    // Keys are sorted: only "mediaType" (an index media type) and "schemaVersion" follow.
    constexpr std::string_view kManifests = "\"manifests\":[";
    size_t at = frame.rfind(std::string(kManifests) + "]") + kManifests.size();
    size_t size = frame.size() + entry_json.size();
    for (const auto& e : entry_json) size += e.size();
    std::string out;
    out.reserve(size);
    out.append(frame, 0, at);
    for (size_t i = 0; i < entry_json.size(); ++i) {
      if (i) out += ',';
      out += entry_json[i];
    }
    out.append(frame, at, std::string::npos);
    return out;
  }

  // Writes the view to `path` (index.lock held) and remembers which file that made.
  Status Write(const std::string& path) {
    fresh = false;
    PLINTH_CHECK(WriteFileAtomic(path, Serialize()));
    if (auto written = IdentityOf(path)) {
      identity = *written;
      fresh = true;
    }
    return Ok{};
  }
};

struct BlobWriter::Flusher {
  explicit Flusher(int fd) : thread([this, fd] { Run(fd); }) {}
  void Run(int fd) {
    std::unique_lock lock(mu);
    for (;;) {
      cv.wait(lock, [&] { return stop || requested > done; });
      if (requested <= done) return;
      uint64_t target = requested;
      lock.unlock();
      int rc = fdatasync(fd);
      int err = errno;
      lock.lock();
      if (rc != 0 && error == 0) error = err;
      done = target;
    }
  }
  std::mutex mu;
  std::condition_variable cv;
  uint64_t requested = 0, done = 0;
  bool stop = false;
  int error = 0;
  std::thread thread;  // last: starts once the rest is initialised
};

Status BlobWriter::StopFlusher() {
  if (!flusher_) return Ok{};
  {
    std::lock_guard lock(flusher_->mu);
    flusher_->stop = true;
  }
  flusher_->cv.notify_one();
  flusher_->thread.join();
  int err = flusher_->error;
  flusher_.reset();
  if (err != 0) return ErrnoError("syncing " + temp_path_, err);
  return Ok{};
}

BlobWriter::BlobWriter(const LayoutStore* store, int fd, std::string temp_path, bool hash)
    : store_(store), fd_(fd), temp_path_(std::move(temp_path)), hash_(hash) {}

Result<BlobWriter> BlobWriter::Create(const LayoutStore* store, bool hash) {
  std::string templ = store->dir() + "/plinth/tmp/blob.tmp.XXXXXX";
  std::vector<char> name(templ.begin(), templ.end());
  name.push_back('\0');
  int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) {
    // A layout opened for reading (OpenExisting) gets its temp folder at its first write.
    PLINTH_CHECK(MakeDirs(store->dir() + "/plinth/tmp"));
    std::copy(templ.begin(), templ.end(), name.begin());
    fd = mkostemp(name.data(), O_CLOEXEC);
  }
  if (fd < 0) return ErrnoError("creating a temp file in " + store->dir() + "/plinth/tmp", errno);
  fchmod(fd, 0644);
  return BlobWriter(store, fd, std::string(name.data()), hash);
}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : store_(other.store_),
      fd_(other.fd_),
      temp_path_(std::move(other.temp_path_)),
      hash_(other.hash_),
      sha_(std::move(other.sha_)),
      written_(other.written_),
      writeback_from_(other.writeback_from_),
      flusher_(std::move(other.flusher_)),
      flush_requested_(other.flush_requested_) {
  other.fd_ = -1;
  other.temp_path_.clear();
}

BlobWriter::~BlobWriter() { Abandon(); }

void BlobWriter::Abandon() {
  (void)StopFlusher();
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
  temp_path_.clear();
}

Status BlobWriter::Write(const void* data, size_t size) {
  if (fd_ < 0) return Internal("writing to a committed or abandoned blob");
  if (hash_) sha_.Update(data, size);
  const char* p = static_cast<const char*>(data);
  for (size_t left = size; left > 0;) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("writing " + temp_path_, errno);
    p += n;
    left -= static_cast<size_t>(n);
  }
  written_ += size;
  if (written_ - writeback_from_ >= kWritebackStep) {
    // Start writing these pages out now (without waiting), so the commit does not have to
    // push the whole blob at the end. Only a hint: errors surface when the commit waits.
    sync_file_range(fd_, static_cast<off64_t>(writeback_from_),
                    static_cast<off64_t>(written_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
    writeback_from_ = written_;
  }
  if (written_ - flush_requested_ >= kFlushStep) {
    if (!flusher_) flusher_ = std::make_unique<Flusher>(fd_);
    {
      std::lock_guard lock(flusher_->mu);
      flusher_->requested = written_;
    }
    flusher_->cv.notify_one();
    flush_requested_ = written_;
  }
  return Ok{};
}

Result<Descriptor> BlobWriter::Commit(std::string media_type, std::optional<Digest> expected) {
  if (fd_ < 0) return Internal("blob committed twice");
  if (Status flushed = StopFlusher(); !flushed) {
    Abandon();
    return flushed.error();
  }
  int64_t size = static_cast<int64_t>(written_);
  if (!hash_ && !expected) {
    Abandon();
    return Internal("a blob hashed by its writer was committed without the writer's digest");
  }
  Digest digest = hash_ ? Digest::Sha256Hex(sha_.FinishHex()) : *expected;
  if (expected && *expected != digest) {
    Abandon();
    return IntegrityError("content does not match its digest: expected " + expected->str() +
                          ", got " + digest.str());
  }
  std::string final_path = store_->BlobPath(digest);
  struct stat existing;
  if (stat(final_path.c_str(), &existing) == 0 && existing.st_size == size) {
    Abandon();  // content-addressed: the same bytes are already there
  } else {
    // The bytes reach the device before the name does (see the class comment). Where the
    // filesystem cannot wait on a range, fsync does the same and more.
    constexpr unsigned kWaitAll =
        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER;
    if (sync_file_range(fd_, 0, 0, kWaitAll) != 0) {
      if (errno != ENOSYS && errno != EINVAL && errno != ESPIPE) {
        int err = errno;
        Abandon();
        return ErrnoError("writing blob " + digest.str() + " to " + store_->dir(), err);
      }
      if (fsync(fd_) != 0) {
        int err = errno;
        Abandon();
        return ErrnoError("syncing blob " + digest.str() + " in " + store_->dir(), err);
      }
    }
    int closed = close(fd_);
    fd_ = -1;
    if (closed != 0) {
      int err = errno;
      Abandon();
      return ErrnoError("closing blob " + digest.str() + " in " + store_->dir(), err);
    }
    // Over a blob of the wrong size too: one cut short by a crash elsewhere is replaced.
    if (rename(temp_path_.c_str(), final_path.c_str()) != 0) {
      int err = errno;
      Abandon();
      return ErrnoError("publishing blob " + digest.str() + " in " + store_->dir(), err);
    }
    temp_path_.clear();
  }
  Descriptor d;
  d.media_type = std::move(media_type);
  d.digest = digest;
  d.size = size;
  return d;
}

LayoutStore::LayoutStore(std::string dir)
    : dir_(std::move(dir)), index_(std::make_shared<IndexView>()) {}

Result<LayoutStore> LayoutStore::Open(const std::string& dir) {
  PLINTH_CHECK(MakeDirs(dir + "/blobs/sha256"));
  PLINTH_CHECK(MakeDirs(dir + "/plinth/tmp"));
  if (!PathExists(dir + "/oci-layout")) PLINTH_CHECK(WriteFileAtomic(dir + "/oci-layout", kLayoutFile));
  if (!PathExists(dir + "/index.json")) {
    LayoutStore store(dir);
    PLINTH_TRY(FileLock lock, FileLock::Acquire(dir + "/plinth/index.lock"));
    if (!PathExists(dir + "/index.json")) {
      Index empty;
      PLINTH_CHECK(WriteFileAtomic(dir + "/index.json", empty.ToJsonString()));
    }
  }
  return LayoutStore(dir);
}

Result<LayoutStore> LayoutStore::OpenExisting(const std::string& dir) {
  if (!PathExists(dir + "/oci-layout"))
    return NotFound("no OCI image layout at '" + dir +
                    "' (no oci-layout file); build or pull an image first, or pass --store");
  if (!PathExists(dir + "/index.json"))
    return NotFound("the OCI image layout at '" + dir + "' has no index.json");
  return LayoutStore(dir);
}

std::string LayoutStore::BlobPath(const Digest& digest) const {
  return dir_ + "/blobs/" + digest.algorithm() + "/" + digest.hex();
}

bool LayoutStore::HasBlob(const Digest& digest) const { return PathExists(BlobPath(digest)); }

Result<BlobWriter> LayoutStore::NewBlob() const { return BlobWriter::Create(this, /*hash=*/true); }

Result<BlobWriter> LayoutStore::NewBlobHashedByCaller() const {
  return BlobWriter::Create(this, /*hash=*/false);
}

Result<Descriptor> LayoutStore::PutBlob(std::string_view bytes, std::string media_type) const {
  PLINTH_TRY(BlobWriter writer, NewBlob());
  PLINTH_CHECK(writer.Write(bytes));
  return writer.Commit(std::move(media_type));
}

Result<std::string> LayoutStore::ReadBlob(const Digest& digest) const {
  if (!PathExists(BlobPath(digest)))
    return NotFound("blob " + digest.str() + " is not in the store " + dir_);
  auto bytes = ReadDocument(BlobPath(digest));
  if (!bytes) return bytes.error().Context("reading blob " + digest.str());
  if (Digest::Of(*bytes) != digest)
    return IntegrityError("blob " + digest.str() + " in " + dir_ +
                          " is corrupt; run `plinth store verify`");
  return bytes;
}

Result<FileSource> LayoutStore::OpenBlob(const Digest& digest) const {
  if (!PathExists(BlobPath(digest)))
    return NotFound("blob " + digest.str() + " is not in the store " + dir_);
  auto source = FileSource::OpenRegular(BlobPath(digest));
  if (!source) return source.error().Context("opening blob " + digest.str());
  return source;
}

Result<FileSource> LayoutStore::OpenBlob(const Descriptor& descriptor) const {
  PLINTH_TRY(FileSource source, OpenBlob(descriptor.digest));
  if (descriptor.size < 0 || source.size() != static_cast<uint64_t>(descriptor.size))
    return IntegrityError("blob " + descriptor.digest.str() + " in " + dir_ + " has " +
                          std::to_string(source.size()) + " bytes, its descriptor says " +
                          std::to_string(descriptor.size));
  return source;
}

Status LayoutStore::Tag(const std::string& name, const Descriptor& descriptor) const {
  PLINTH_TRY(FileLock lock, Lock("index.lock", FileLock::Mode::kExclusive));
  std::lock_guard guard(index_->mu);
  IndexView& view = *index_;
  const std::string path = dir_ + "/index.json";
  PLINTH_CHECK(view.Refresh(path));
  Descriptor entry = descriptor;
  entry.annotations[kRefNameAnnotation] = name;
  std::string json = entry.ToJson().dump();
  auto named = view.by_name.find(name);
  if (named != view.by_name.end()) {
    // Already so, once: the file would be written with the same bytes.
    if (named->second.size() == 1 && view.entry_json[named->second[0]] == json) return Ok{};
    for (size_t i : named->second) {
      view.index.manifests[i] = entry;
      view.entry_json[i] = json;
    }
  } else {
    size_t i = view.index.manifests.size();
    view.index.manifests.push_back(std::move(entry));
    view.entry_json.push_back(std::move(json));
    view.by_name[name].push_back(i);
    if (view.familiar_built) view.by_familiar.emplace(FamiliarOrSame(name), i);
  }
  return view.Write(path);
}

Status LayoutStore::Untag(const std::string& name) const {
  PLINTH_TRY(FileLock lock, Lock("index.lock", FileLock::Mode::kExclusive));
  std::lock_guard guard(index_->mu);
  IndexView& view = *index_;
  const std::string path = dir_ + "/index.json";
  PLINTH_CHECK(view.Refresh(path));
  if (!view.by_name.count(name)) return Ok{};  // nothing to remove: nothing to write
  size_t kept = 0;
  for (size_t i = 0; i < view.index.manifests.size(); ++i) {
    if (NameOf(view.index.manifests[i]) == name) continue;
    if (kept != i) {
      view.index.manifests[kept] = std::move(view.index.manifests[i]);
      view.entry_json[kept] = std::move(view.entry_json[i]);
    }
    ++kept;
  }
  view.index.manifests.resize(kept);
  view.entry_json.resize(kept);
  view.IndexNames();
  return view.Write(path);
}

uint64_t LayoutStore::index_reads() const {
  std::lock_guard guard(index_->mu);
  return index_->reads;
}

Result<std::vector<StoreEntry>> LayoutStore::List() const {
  std::lock_guard guard(index_->mu);
  PLINTH_CHECK(index_->Refresh(dir_ + "/index.json"));
  std::vector<StoreEntry> out;
  out.reserve(index_->index.manifests.size());
  for (const auto& d : index_->index.manifests) out.push_back({NameOf(d), d});
  return out;
}

Result<Descriptor> LayoutStore::Resolve(const std::string& name) const {
  {
    std::lock_guard guard(index_->mu);
    IndexView& view = *index_;
    PLINTH_CHECK(view.Refresh(dir_ + "/index.json"));
    if (auto it = view.by_name.find(name); it != view.by_name.end())
      return view.index.manifests[it->second.front()];
    const auto& familiar = view.Familiar();
    if (auto it = familiar.find(FamiliarOrSame(name)); it != familiar.end())
      return view.index.manifests[it->second];
  }
  if (auto digest = Digest::Parse(name); digest && HasBlob(*digest)) {
    PLINTH_TRY(std::string bytes, ReadBlob(*digest));
    Descriptor d;
    d.media_type = SniffMediaType(bytes);
    d.digest = *digest;
    d.size = static_cast<int64_t>(bytes.size());
    if (IsManifestType(d.media_type) || IsIndexType(d.media_type)) return d;
  }
  return NotFound("image '" + name + "' is not in the store " + dir_ +
                  " (see `plinth store ls`; build it, or `plinth pull` it)");
}

Result<Manifest> LayoutStore::ReadManifest(const Digest& digest) const {
  PLINTH_TRY(std::string bytes, ReadBlob(digest));
  auto m = Manifest::Parse(bytes);
  if (!m) return m.error().Context("reading manifest " + digest.str());
  return m;
}

Result<Index> LayoutStore::ReadIndex(const Digest& digest) const {
  PLINTH_TRY(std::string bytes, ReadBlob(digest));
  auto i = Index::Parse(bytes);
  if (!i) return i.error().Context("reading index " + digest.str());
  return i;
}

Result<ImageConfig> LayoutStore::ReadConfig(const Digest& digest) const {
  PLINTH_TRY(std::string bytes, ReadBlob(digest));
  auto c = ImageConfig::Parse(bytes);
  if (!c) return c.error().Context("reading image config " + digest.str());
  return c;
}

Result<Descriptor> LayoutStore::SelectPlatform(const Descriptor& descriptor,
                                               const Platform& platform) const {
  if (IsManifestType(descriptor.media_type)) return descriptor;
  if (!IsIndexType(descriptor.media_type))
    return InvalidInput("descriptor " + descriptor.digest.str() + " of type '" +
                        descriptor.media_type + "' is not an image");
  PLINTH_TRY(Index index, ReadIndex(descriptor.digest));
  std::string have;
  for (const auto& d : index.manifests) {
    if (!d.platform) continue;
    if (d.platform->os == platform.os && d.platform->architecture == platform.architecture &&
        (platform.variant.empty() || d.platform->variant == platform.variant)) {
      if (IsIndexType(d.media_type)) return SelectPlatform(d, platform);
      return d;
    }
    have += (have.empty() ? "" : ", ") + d.platform->str();
  }
  return NotFound("image index " + descriptor.digest.str() + " has no manifest for " +
                  platform.str() + (have.empty() ? "" : " (it has " + have + ")"));
}

Result<Descriptor> LayoutStore::WriteImage(const ImageConfig& config,
                                           const std::vector<Descriptor>& layers,
                                           const std::map<std::string, std::string>& annotations) const {
  for (const auto& l : layers)
    if (!HasBlob(l.digest)) return Internal("layer " + l.digest.str() + " is not in the store");
  PLINTH_TRY(Descriptor config_desc, PutBlob(config.ToJsonString(), std::string(kOciConfig)));
  Manifest m;
  m.config = config_desc;
  m.layers = layers;
  m.annotations = annotations;
  PLINTH_TRY(Descriptor manifest_desc, PutBlob(m.ToJsonString(), std::string(kOciManifest)));
  manifest_desc.platform = config.platform;
  return manifest_desc;
}

Result<Descriptor> LayoutStore::WriteIndex(const Index& index) const {
  for (const auto& d : index.manifests)
    if (!HasBlob(d.digest)) return Internal("manifest " + d.digest.str() + " is not in the store");
  return PutBlob(index.ToJsonString(), index.media_type);
}

Result<FileLock> LayoutStore::Lock(const std::string& name, FileLock::Mode mode) const {
  if (!IsDirectory(dir_ + "/plinth")) PLINTH_CHECK(MakeDirs(dir_ + "/plinth"));
  return FileLock::Acquire(dir_ + "/plinth/" + name, mode);
}

Result<FileLock> LayoutStore::WriterLock() const { return Lock("gc.lock", FileLock::Mode::kShared); }

Result<FileLock> LayoutStore::ReaderLock() const { return Lock("gc.lock", FileLock::Mode::kShared); }

Result<FileLock> LayoutStore::GcLock() const { return Lock("gc.lock", FileLock::Mode::kExclusive); }

}  // namespace plinth::oci
