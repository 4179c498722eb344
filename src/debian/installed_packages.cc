#include "debian/installed_packages.h"

#include "debian/control_file.h"
#include "layer/decompressing_source.h"
#include "layer/tar_reader.h"
#include "util/sha256.h"

namespace plinth::debian {
namespace {

constexpr std::string_view kWhiteout = ".wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";

bool IsRecordName(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name.rfind(kWhiteout, 0) != 0 &&
         !(name.size() > 8 && name.compare(name.size() - 8, 8, ".md5sums") == 0);
}

// How one layer member changes the records below it.
struct LayerChanges {
  bool cleared = false;        // status.d (or a folder above it) removed or made opaque
  StatusRecords added;         // records written by this layer
  std::vector<std::string> removed;  // records whited out
};

Status ReadMember(layer::TarReader& tar, const layer::TarEntry& entry, const std::string& image,
                  std::string* out) {
  if (entry.size > kMaxStatusRecord)
    return IntegrityError("image " + image + ": /" + entry.name + " is " +
                          std::to_string(entry.size) + " bytes, more than a status record can be");
  out->resize(entry.size);
  size_t done = 0;
  while (done < out->size()) {
    PLINTH_TRY(size_t n, tar.Read(out->data() + done, out->size() - done));
    if (n == 0) return IntegrityError("image " + image + ": /" + entry.name + " is cut short");
    done += n;
  }
  return Ok{};
}

Status ApplyMember(layer::TarReader& tar, const layer::TarEntry& entry, const std::string& image,
                   LayerChanges* changes) {
  const std::string dir = std::string(kStatusDir) + "/";
  const std::string& name = entry.name;
  // A whiteout of status.d or of a folder above it ("var/lib/dpkg/.wh.status.d").
  for (std::string ancestor = kStatusDir; !ancestor.empty();) {
    size_t slash = ancestor.rfind('/');
    std::string parent = slash == std::string::npos ? "" : ancestor.substr(0, slash + 1);
    std::string leaf = slash == std::string::npos ? ancestor : ancestor.substr(slash + 1);
    if (name == parent + std::string(kWhiteout) + leaf) changes->cleared = true;
    if (name == ancestor + "/" + std::string(kOpaque)) changes->cleared = true;
    ancestor = slash == std::string::npos ? "" : ancestor.substr(0, slash);
  }
  if (name.rfind(dir, 0) != 0) return Ok{};
  std::string leaf = name.substr(dir.size());
  if (leaf.find('/') != std::string::npos) return Ok{};
  if (leaf.rfind(kWhiteout, 0) == 0 && leaf != kOpaque) {
    changes->removed.push_back(leaf.substr(kWhiteout.size()));
    return Ok{};
  }
  if (!IsRecordName(leaf) || entry.type != layer::EntryType::kRegular) return Ok{};
  std::string text;
  PLINTH_CHECK(ReadMember(tar, entry, image, &text));
  changes->added[leaf] = std::move(text);
  return Ok{};
}

}  // namespace

Result<std::vector<PresentPackage>> ParseStatusRecords(const StatusRecords& records,
                                                         const std::string& image) {
  if (records.size() > kMaxStatusRecords)
    return IntegrityError("image " + image + " has " + std::to_string(records.size()) +
                          " status.d records, more than " + std::to_string(kMaxStatusRecords));
  std::map<std::string, PresentPackage> by_name;
  for (const auto& [file, text] : records) {
    std::string where = image + ":/" + std::string(kStatusDir) + "/" + file;
    PLINTH_TRY(auto paragraphs, ParseControl(text, where));
    for (const auto& p : paragraphs) {
      // A record may carry dpkg's "WANT FLAG STATE" Status: only the state `installed` counts
      // (distroless records have no Status at all).
      std::string status = p.GetOr("Status", "install ok installed");
      size_t space = status.find_last_of(" \t");
      if (status.substr(space == std::string::npos ? 0 : space + 1) != "installed") continue;
      PresentPackage package;
      package.name = p.GetOr("Package");
      if (package.name.empty()) return IntegrityError("a record with no Package field", {where, p.line});
      auto version = DpkgVersion::Parse(p.GetOr("Version"));
      if (!version)
        return IntegrityError(package.name + ": Version: " + version.error().message(),
                              {where, p.LineOf("Version")});
      package.version = *version;
      auto provides = ParseAtomList(p.GetOr("Provides"));
      if (!provides)
        return IntegrityError(package.name + ": Provides: " + provides.error().message(),
                              {where, p.LineOf("Provides")});
      package.provides = std::move(*provides);
      by_name[package.name] = std::move(package);
    }
  }
  std::vector<PresentPackage> out;
  for (auto& [name, package] : by_name) out.push_back(std::move(package));
  return out;
}

std::string InstalledDigest(const std::vector<PresentPackage>& installed) {
  std::string text;
  for (const auto& p : installed) text += p.name + "=" + p.version.str() + "\n";
  return Sha256::HexOf(text);
}

Result<StatusRecords> ReadStatusRecords(const oci::LayoutStore& store, const oci::Image& image,
                                        const std::string& name) {
  StatusRecords records;
  for (const auto& layer : image.layers) {
    std::string where = "reading the package records of " + name + " (layer " +
                        layer.digest.str() + ")";
    auto blob = store.OpenBlob(layer);
    if (!blob) return blob.error().Context(where);
    auto plain = layer::OpenDecompressed(*blob);
    if (!plain) return plain.error().Context(where);
    layer::TarReader tar(**plain);
    LayerChanges changes;
    while (true) {
      auto entry = tar.Next();
      if (!entry) return entry.error().Context(where);
      if (!*entry) break;
      if (auto s = ApplyMember(tar, **entry, name, &changes); !s) return s.error().Context(where);
    }
    if (changes.cleared) records.clear();
    for (const auto& r : changes.removed) records.erase(r);
    for (auto& [file, text] : changes.added) records[file] = std::move(text);
    if (records.size() > kMaxStatusRecords)
      return IntegrityError(where + ": more than " + std::to_string(kMaxStatusRecords) + " records");
  }
  return records;
}

}  // namespace plinth::debian
