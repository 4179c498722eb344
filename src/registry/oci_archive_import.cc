#include "registry/oci_archive_import.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

#include "oci/media_types.h"
#include "util/archive_error.h"

namespace plinth::registry {
namespace {

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

bool Matches(const oci::Descriptor& d, const std::string& name) {
  auto it = d.annotations.find(oci::kRefNameAnnotation);
  if (it == d.annotations.end()) return false;
  if (it->second == name) return true;
  auto a = oci::Reference::Parse(it->second);
  auto b = oci::Reference::Parse(name);
  return a && b && a->str() == b->str();
}

}  // namespace

Result<oci::Descriptor> ImportOciArchive(const std::string& path, const std::string& name,
                                         const oci::LayoutStore& into) {
  Location where{path};
  // Its blobs are untagged until the caller names the image: the caller holds the lock too.
  PLINTH_TRY(FileLock writer, into.WriterLock());
  std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 20) != ARCHIVE_OK)
    return Error(ErrorKind::kNotFound,
                 "opening oci-archive: " + ArchiveErrorText(a.get()), where);
  std::string index_json;
  bool has_layout = false;
  std::vector<char> buf(1 << 20);
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK)
      return IntegrityError("reading oci-archive: " + ArchiveErrorText(a.get()),
                            where);
    std::string member = archive_entry_pathname(entry);
    if (member.starts_with("./")) member.erase(0, 2);
    if (archive_entry_filetype(entry) == AE_IFDIR) continue;
    if (member == "oci-layout") {
      has_layout = true;
      continue;
    }
    if (member == "index.json") {
      for (;;) {
        la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
        if (n < 0) return IntegrityError("reading index.json of the oci-archive", where);
        if (n == 0) break;
        index_json.append(buf.data(), static_cast<size_t>(n));
        if (index_json.size() > (4u << 20)) return IntegrityError("index.json is too large", where);
      }
      continue;
    }
    if (!member.starts_with("blobs/")) {
      continue;  // e.g. docker's manifest.json in a combined archive
    }
    auto slash = member.find('/', 6);
    if (slash == std::string::npos)
      return IntegrityError("unexpected member '" + member + "' in the oci-archive", where);
    auto digest = oci::Digest::Parse(member.substr(6, slash - 6) + ":" + member.substr(slash + 1));
    if (!digest) return IntegrityError("blob '" + member + "' is not named by a digest", where);
    PLINTH_TRY(oci::BlobWriter writer, into.NewBlob());
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
      if (n < 0)
        return IntegrityError("reading " + member + ": " + ArchiveErrorText(a.get()), where);
      if (n == 0) break;
      PLINTH_CHECK(writer.Write(buf.data(), static_cast<size_t>(n)));
    }
    auto committed = writer.Commit("application/octet-stream", *digest);
    if (!committed) return Error(committed.error().kind(), "importing " + member + ": " +
                                                               committed.error().message(),
                                 where);
  }
  if (!has_layout || index_json.empty())
    return InvalidInput("not an oci-archive (no oci-layout or index.json)", where);
  auto index = oci::Index::Parse(index_json);
  if (!index) return index.error().Context("reading index.json of the oci-archive");
  const oci::Descriptor* found = nullptr;
  for (const auto& d : index->manifests) {
    if (name.empty() ? index->manifests.size() == 1 : Matches(d, name)) found = &d;
  }
  if (!found)
    return NotFound(name.empty() ? "the oci-archive holds " +
                                       std::to_string(index->manifests.size()) +
                                       " images: name one as oci-archive:PATH:NAME"
                                 : "the oci-archive has no image named " + name,
                    where);
  if (!into.HasBlob(found->digest))
    return IntegrityError("the oci-archive names " + found->digest.str() + " but lacks it", where);
  oci::Descriptor out = *found;
  out.annotations.clear();  // naming annotations belong to the archive's index
  return out;
}

}  // namespace plinth::registry
