#include "oci/layout_store.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "oci/media_types.h"
#include "util/fs.h"

namespace plinth::oci {
namespace {

constexpr std::string_view kLayoutFile = R"({"imageLayoutVersion":"1.0.0"})";
constexpr uint64_t kWritebackStep = 2 << 20;

std::string FamiliarOrSame(const std::string& name) {
  auto ref = Reference::Parse(name);
  return ref ? ref->Familiar() : name;
}

}  // namespace

Status BlobWriter::Write(const void* data, size_t size) {
  if (hash_) sha_.Update(data, size);
  PLINTH_CHECK(file_.Write(data, size));
  written_ += size;
  if (written_ - writeback_from_ >= kWritebackStep) {
    // Start writing these pages out now (without waiting), so the commit's fsync does not
    // have to push the whole blob at the end. Only a hint: errors surface at fsync.
    sync_file_range(file_.fd(), static_cast<off64_t>(writeback_from_),
                    static_cast<off64_t>(written_ - writeback_from_), SYNC_FILE_RANGE_WRITE);
    writeback_from_ = written_;
  }
  return Ok{};
}

Result<Descriptor> BlobWriter::Commit(std::string media_type, std::optional<Digest> expected) {
  int64_t size = static_cast<int64_t>(written_);
  if (!hash_ && !expected) {
    file_.Abandon();
    return Internal("a blob hashed by its writer was committed without the writer's digest");
  }
  Digest digest = hash_ ? Digest::Sha256Hex(sha_.FinishHex()) : *expected;
  if (expected && *expected != digest) {
    file_.Abandon();
    return IntegrityError("content does not match its digest: expected " + expected->str() +
                          ", got " + digest.str());
  }
  std::string final_path = store_->BlobPath(digest);
  if (PathExists(final_path)) {
    file_.Abandon();  // content-addressed: the same bytes are already there
  } else {
    auto committed = file_.CommitAs(final_path);
    if (!committed) return committed.error().Context("publishing blob " + digest.str());
  }
  Descriptor d;
  d.media_type = std::move(media_type);
  d.digest = digest;
  d.size = size;
  return d;
}

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
  return Open(dir);
}

std::string LayoutStore::BlobPath(const Digest& digest) const {
  return dir_ + "/blobs/" + digest.algorithm() + "/" + digest.hex();
}

bool LayoutStore::HasBlob(const Digest& digest) const { return PathExists(BlobPath(digest)); }

Result<BlobWriter> LayoutStore::NewBlob() const {
  PLINTH_TRY(AtomicFile file, AtomicFile::Create(dir_ + "/plinth/tmp/blob", 0644));
  return BlobWriter(this, std::move(file), /*hash=*/true);
}

Result<BlobWriter> LayoutStore::NewBlobHashedByCaller() const {
  PLINTH_TRY(AtomicFile file, AtomicFile::Create(dir_ + "/plinth/tmp/blob", 0644));
  return BlobWriter(this, std::move(file), /*hash=*/false);
}

Result<Descriptor> LayoutStore::PutBlob(std::string_view bytes, std::string media_type) const {
  PLINTH_TRY(BlobWriter writer, NewBlob());
  PLINTH_CHECK(writer.Write(bytes));
  return writer.Commit(std::move(media_type));
}

Result<std::string> LayoutStore::ReadBlob(const Digest& digest) const {
  auto bytes = ReadFile(BlobPath(digest));
  if (!bytes) return NotFound("blob " + digest.str() + " is not in the store " + dir_);
  if (Digest::Of(*bytes) != digest)
    return IntegrityError("blob " + digest.str() + " in " + dir_ +
                          " is corrupt; run `plinth store verify`");
  return bytes;
}

Result<FileSource> LayoutStore::OpenBlob(const Digest& digest) const {
  auto source = FileSource::Open(BlobPath(digest));
  if (!source) return NotFound("blob " + digest.str() + " is not in the store " + dir_);
  return source;
}

Result<Index> LayoutStore::ReadIndexJson() const {
  PLINTH_TRY(std::string bytes, ReadFile(dir_ + "/index.json"));
  auto index = Index::Parse(bytes);
  if (!index) return index.error().Context("reading " + dir_ + "/index.json");
  return index;
}

Status LayoutStore::Tag(const std::string& name, const Descriptor& descriptor) const {
  PLINTH_TRY(FileLock lock, FileLock::Acquire(dir_ + "/plinth/index.lock"));
  PLINTH_TRY(Index index, ReadIndexJson());
  Descriptor entry = descriptor;
  entry.annotations[kRefNameAnnotation] = name;
  bool replaced = false;
  for (auto& d : index.manifests) {
    auto it = d.annotations.find(kRefNameAnnotation);
    if (it != d.annotations.end() && it->second == name) {
      d = entry;
      replaced = true;
    }
  }
  if (!replaced) index.manifests.push_back(entry);
  return WriteFileAtomic(dir_ + "/index.json", index.ToJsonString());
}

Status LayoutStore::Untag(const std::string& name) const {
  PLINTH_TRY(FileLock lock, FileLock::Acquire(dir_ + "/plinth/index.lock"));
  PLINTH_TRY(Index index, ReadIndexJson());
  std::erase_if(index.manifests, [&](const Descriptor& d) {
    auto it = d.annotations.find(kRefNameAnnotation);
    return it != d.annotations.end() && it->second == name;
  });
  return WriteFileAtomic(dir_ + "/index.json", index.ToJsonString());
}

Result<std::vector<StoreEntry>> LayoutStore::List() const {
  PLINTH_TRY(Index index, ReadIndexJson());
  std::vector<StoreEntry> out;
  for (const auto& d : index.manifests) {
    auto it = d.annotations.find(kRefNameAnnotation);
    out.push_back({it == d.annotations.end() ? "" : it->second, d});
  }
  return out;
}

Result<Descriptor> LayoutStore::Resolve(const std::string& name) const {
  PLINTH_TRY(std::vector<StoreEntry> entries, List());
  for (const auto& e : entries)
    if (e.name == name) return e.descriptor;
  std::string familiar = FamiliarOrSame(name);
  for (const auto& e : entries)
    if (FamiliarOrSame(e.name) == familiar) return e.descriptor;
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

Result<FileLock> LayoutStore::WriterLock() const {
  return FileLock::Acquire(dir_ + "/plinth/gc.lock", FileLock::Mode::kShared);
}

}  // namespace plinth::oci
