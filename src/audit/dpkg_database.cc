#include "audit/dpkg_database.h"

#include <map>
#include <set>

#include "audit/dep5_copyright.h"
#include "audit/dpkg_records.h"
#include "audit/merged_filesystem.h"
#include "debian/installed_packages.h"
#include "util/sha256.h"

namespace plinth::audit {
namespace {

constexpr std::string_view kStatusFile = "var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "var/lib/dpkg/info/";
constexpr std::string_view kDpkgDir = "var/lib/dpkg/";
constexpr std::string_view kDocDir = "usr/share/doc/";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<std::string> ReadAll(ByteSource* content, const ImageFile& file, uint64_t max) {
  if (file.entry.size > max)
    return IntegrityError("/" + file.entry.name + " is " + std::to_string(file.entry.size) +
                          " bytes, more than plinth reads of it (" + std::to_string(max) + ")");
  std::string text(file.entry.size, '\0');
  size_t done = 0;
  while (done < text.size()) {
    PLINTH_TRY(size_t n, content->Read(text.data() + done, text.size() - done));
    if (n == 0) return IntegrityError("/" + file.entry.name + " is cut short");
    done += n;
  }
  return text;
}

class DpkgVisitor : public MergedFileVisitor {
 public:
  Status OnFile(const ImageFile& file, ByteSource* content) override {
    const std::string& path = file.entry.name;
    if (file.entry.type == layer::EntryType::kHardLink) {
      hard_links_.emplace(path, file.entry.link_target);
      return Ok{};
    }
    if (file.entry.type != layer::EntryType::kRegular || content == nullptr) return Ok{};
    std::string_view p = path;
    if (p == kStatusFile) {
      PLINTH_TRY(auto text, ReadAll(content, file, kMaxStatusFile));
      PLINTH_TRY(auto packages, ParseDpkgRecords(text, path));
      for (auto& package : packages) packages_.push_back(std::move(package));
      return Ok{};
    }
    if (p.starts_with(kStatusDir) && p.find('/', kStatusDir.size()) == std::string_view::npos) {
      if (EndsWith(p, ".md5sums")) {
        PLINTH_TRY(auto text, ReadAll(content, file, kMaxFileList));
        has_file_lists_ = true;
        return AddOwnedPaths(text, true, path, &owned_);
      }
      PLINTH_TRY(auto text, ReadAll(content, file, debian::kMaxStatusRecord));
      PLINTH_TRY(auto packages, ParseDpkgRecords(text, path));
      for (auto& package : packages) packages_.push_back(std::move(package));
      if (packages_.size() > debian::kMaxStatusRecords)
        return IntegrityError("more than " + std::to_string(debian::kMaxStatusRecords) +
                              " package records");
      return Ok{};
    }
    if (p.starts_with(kInfoDir) && EndsWith(p, ".list") &&
        p.find('/', kInfoDir.size()) == std::string_view::npos) {
      PLINTH_TRY(auto text, ReadAll(content, file, kMaxFileList));
      has_file_lists_ = true;
      return AddOwnedPaths(text, false, path, &owned_);
    }
    if (p.starts_with(kDpkgDir)) return Ok{};  // dpkg's own bookkeeping, not content
    if (p == "etc/os-release" || p == "usr/lib/os-release") {
      PLINTH_TRY(auto text, ReadAll(content, file, kMaxOsRelease));
      os_release_[path] = DistroFromOsRelease(text);
      return Hash(file, text);
    }
    if (p.starts_with(kDocDir) && EndsWith(p, "/copyright")) {
      std::string_view package = p.substr(kDocDir.size(), p.size() - kDocDir.size() - 10);
      if (!package.empty() && package.find('/') == std::string_view::npos &&
          file.entry.size <= kMaxCopyrightFile) {
        PLINTH_TRY(auto text, ReadAll(content, file, kMaxCopyrightFile));
        if (auto licenses = Dep5Licenses(text)) licenses_[std::string(package)] = *licenses;
        return Hash(file, text);
      }
    }
    return Hash(file, content);
  }

  Result<DpkgDatabase> Finish() {
    DpkgDatabase db;
    db.has_file_lists = has_file_lists_;
    // /etc/os-release is usually a symlink to ../usr/lib/os-release; either one will do.
    if (auto it = os_release_.find("etc/os-release"); it != os_release_.end())
      db.distro = it->second;
    else if (auto lib = os_release_.find("usr/lib/os-release"); lib != os_release_.end())
      db.distro = lib->second;
    std::map<std::pair<std::string, std::string>, ImagePackage> unique;
    for (auto& p : packages_) {
      if (auto it = licenses_.find(p.name); it != licenses_.end()) p.licenses = it->second;
      unique.emplace(std::make_pair(p.name, p.architecture), std::move(p));
    }
    for (auto& [key, p] : unique) db.packages.push_back(std::move(p));
    // A hard link is the file it names (the same layer holds it).
    for (const auto& [path, target] : hard_links_) {
      auto it = files_.find(target);
      if (it == files_.end() || IsOwned(owned_, path) || path.starts_with(kDpkgDir)) continue;
      db.unowned_files.push_back(
          {.path = path, .size = it->second.size, .sha256 = it->second.sha256});
    }
    for (auto& [path, file] : files_)
      if (!IsOwned(owned_, path)) db.unowned_files.push_back(std::move(file));
    SbomDocument sorter;
    sorter.packages = std::move(db.packages);
    sorter.unowned_files = std::move(db.unowned_files);
    SortDocument(&sorter);
    db.packages = std::move(sorter.packages);
    db.unowned_files = std::move(sorter.unowned_files);
    return db;
  }

 private:
  Status Remember(const ImageFile& file, UnownedFile record) {
    if (files_.size() >= kMaxImageFiles)
      return IntegrityError("more than " + std::to_string(kMaxImageFiles) + " files");
    files_[file.entry.name] = std::move(record);
    return Ok{};
  }
  Status Hash(const ImageFile& file, const std::string& text) {
    return Remember(file,
                    {.path = file.entry.name, .size = text.size(), .sha256 = Sha256::HexOf(text)});
  }
  Status Hash(const ImageFile& file, ByteSource* content) {
    Sha256 sha;
    char buffer[64 << 10];
    while (true) {
      PLINTH_TRY(size_t n, content->Read(buffer, sizeof buffer));
      if (n == 0) break;
      sha.Update(buffer, n);
    }
    uint64_t size = sha.bytes();
    return Remember(file, {.path = file.entry.name, .size = size, .sha256 = sha.FinishHex()});
  }

  std::vector<ImagePackage> packages_;
  std::set<std::string> owned_;
  std::map<std::string, std::vector<std::string>> licenses_;
  std::map<std::string, std::string> os_release_;
  std::map<std::string, UnownedFile> files_;
  std::map<std::string, std::string> hard_links_;
  bool has_file_lists_ = false;
};

}  // namespace

Result<DpkgDatabase> ReadDpkgDatabase(const oci::LayoutStore& store, const oci::Image& image,
                                      const std::string& name) {
  DpkgVisitor visitor;
  auto walked = WalkMergedFilesystem(store, image, visitor);
  if (!walked) return walked.error().Context("reading the packages of " + name);
  auto db = visitor.Finish();
  if (!db) return db.error().Context("reading the packages of " + name);
  return db;
}

}  // namespace plinth::audit
