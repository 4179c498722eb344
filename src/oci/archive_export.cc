#include "oci/archive_export.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <vector>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "util/atomic_file.h"
#include "util/archive_error.h"

namespace plinth::oci {
namespace {

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_write_free(a); }
};

// A tar writer over an AtomicFile.
class TarOut {
 public:
  explicit TarOut(AtomicFile* file) : file_(file), a_(archive_write_new()) {
    archive_write_set_format_pax_restricted(a_.get());
    archive_write_set_bytes_in_last_block(a_.get(), 1);
    archive_write_open(a_.get(), this, nullptr, &TarOut::WriteCallback, nullptr);
  }

  Status Add(const std::string& name, int64_t size, ByteSource& content) {
    std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(),
                                                                     archive_entry_free);
    archive_entry_set_pathname(e.get(), name.c_str());
    archive_entry_set_filetype(e.get(), AE_IFREG);
    archive_entry_set_perm(e.get(), 0644);
    archive_entry_set_size(e.get(), size);
    archive_entry_set_mtime(e.get(), 0, 0);
    if (archive_write_header(a_.get(), e.get()) != ARCHIVE_OK) return Failure(name);
    std::vector<char> buf(1 << 20);
    int64_t total = 0;
    for (;;) {
      PLINTH_TRY(size_t n, content.Read(buf.data(), buf.size()));
      if (n == 0) break;
      if (archive_write_data(a_.get(), buf.data(), n) < 0) return Failure(name);
      total += static_cast<int64_t>(n);
    }
    if (total != size) return IntegrityError("blob " + name + " changed size while exporting");
    if (!write_error_.ok()) return write_error_;
    return Ok{};
  }

  Status AddBytes(const std::string& name, const std::string& bytes) {
    StringSource source(bytes);
    return Add(name, static_cast<int64_t>(bytes.size()), source);
  }

  Status Close() {
    if (archive_write_close(a_.get()) != ARCHIVE_OK) return Failure("end of archive");
    return write_error_;
  }

 private:
  static la_ssize_t WriteCallback(archive*, void* self, const void* data, size_t size) {
    auto* out = static_cast<TarOut*>(self);
    auto status = out->file_->Write(data, size);
    if (!status) {
      out->write_error_ = status;
      return -1;
    }
    return static_cast<la_ssize_t>(size);
  }
  Status Failure(const std::string& what) {
    if (!write_error_.ok()) return write_error_;
    return IoError("writing " + what + " to the archive: " + ArchiveErrorText(a_.get()));
  }

  AtomicFile* file_;
  std::unique_ptr<archive, ArchiveDeleter> a_;
  Status write_error_;
};

}  // namespace

Result<ArchiveFormat> ParseArchiveFormat(const std::string& text) {
  if (text == "oci-archive" || text == "oci") return ArchiveFormat::kOci;
  if (text == "docker-archive" || text == "docker") return ArchiveFormat::kDocker;
  return InvalidInput("unknown archive format '" + text + "': use oci-archive or docker-archive");
}

Result<size_t> ExportArchive(const LayoutStore& store, const ExportOptions& options,
                             const std::string& output_path) {
  PLINTH_TRY(Descriptor root, store.Resolve(options.name));
  std::string tag = options.name;
  if (auto ref = Reference::Parse(options.name); ref) tag = ref->Familiar();

  Manifest docker_manifest;
  if (options.format == ArchiveFormat::kDocker) {
    auto selected = store.SelectPlatform(root, options.platform);
    if (!selected) return selected.error().Context("exporting " + options.name + " as docker-archive");
    root = *selected;
    PLINTH_TRY(docker_manifest, store.ReadManifest(root.digest));
  }
  PLINTH_TRY(std::vector<Descriptor> blobs, ReachableBlobs(store, root));

  PLINTH_TRY(AtomicFile file, AtomicFile::Create(output_path));
  TarOut tar(&file);
  PLINTH_CHECK(tar.AddBytes("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
  Index index;
  Descriptor named = root;
  named.annotations[kRefNameAnnotation] = tag;
  // containerd and Docker read the full name from this annotation.
  if (auto ref = Reference::Parse(options.name); ref)
    named.annotations["io.containerd.image.name"] = ref->str();
  index.manifests.push_back(named);
  PLINTH_CHECK(tar.AddBytes("index.json", index.ToJsonString()));
  if (options.format == ArchiveFormat::kDocker) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : docker_manifest.layers) layers.push_back("blobs/sha256/" + l.digest.hex());
    nlohmann::json entry{{"Config", "blobs/sha256/" + docker_manifest.config.digest.hex()},
                         {"RepoTags", nlohmann::json::array({tag})},
                         {"Layers", layers}};
    PLINTH_CHECK(tar.AddBytes("manifest.json", nlohmann::json::array({entry}).dump()));
  }
  for (const auto& blob : blobs) {
    PLINTH_TRY(FileSource source, store.OpenBlob(blob.digest));
    auto added = tar.Add("blobs/sha256/" + blob.digest.hex(), blob.size, source);
    if (!added) return added.error().Context("exporting " + options.name);
  }
  PLINTH_CHECK(tar.Close());
  PLINTH_CHECK(file.Commit());
  return blobs.size();
}

}  // namespace plinth::oci
