#include "debian/package_index.h"

#include <algorithm>
#include <fstream>

#include "debian/control_file.h"

namespace plinth::debian {
namespace {

MultiArch ParseMultiArch(std::string_view v) {
  if (v == "same") return MultiArch::kSame;
  if (v == "foreign") return MultiArch::kForeign;
  if (v == "allowed") return MultiArch::kAllowed;
  return MultiArch::kNo;
}

Result<PackageRecord> ToRecord(const ControlParagraph& p, const std::string& file) {
  Location where{file, p.line, 1};
  PackageRecord r;
  r.name = p.GetOr("Package");
  if (r.name.empty()) return InvalidInput("paragraph has no Package field", where);
  auto fail = [&](const Error& e) {
    return InvalidInput("package " + r.name + ": " + e.message(), where);
  };
  auto version = DpkgVersion::Parse(p.GetOr("Version"));
  if (!version) return fail(version.error());
  r.version = std::move(*version);
  r.architecture = p.GetOr("Architecture");
  r.multi_arch = ParseMultiArch(p.GetOr("Multi-Arch"));
  r.essential = p.GetOr("Essential") == "yes";
  r.priority = p.GetOr("Priority");
  r.source = p.GetOr("Source", r.name);
  if (size_t sp = r.source.find(' '); sp != std::string::npos) r.source.resize(sp);
  for (const char* field : {"Pre-Depends", "Depends"}) {
    auto groups = ParseDependencies(p.GetOr(field));
    if (!groups) return fail(groups.error().Context(field));
    for (auto& g : *groups) r.depends.push_back(std::move(g));
  }
  auto provides = ParseAtomList(p.GetOr("Provides"));
  if (!provides) return fail(provides.error().Context("Provides"));
  r.provides = std::move(*provides);
  for (const char* field : {"Conflicts", "Breaks"}) {
    auto atoms = ParseAtomList(p.GetOr(field));
    if (!atoms) return fail(atoms.error().Context(field));
    for (auto& a : *atoms) r.conflicts.push_back(std::move(a));
  }
  r.filename = p.GetOr("Filename");
  r.sha256 = p.GetOr("SHA256");
  auto size = p.GetUnsigned("Size", file);
  if (!size) return std::move(size).error();
  r.size = *size;
  r.origin = file;
  return r;
}

}  // namespace

Status PackageIndex::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("reading package index " + path + ": cannot open");
  return ForEachParagraph(in, path, [&](ControlParagraph&& p) -> Status {
    auto arch = p.Get("Architecture");
    if (!arch || (*arch != architecture_ && *arch != "all")) return Ok{};
    PLINTH_TRY(PackageRecord r, ToRecord(p, path));
    Add(std::move(r));
    return Ok{};
  });
}

void PackageIndex::Add(PackageRecord record) {
  for (const auto& p : record.provides)
    provides_[p.name].emplace_back(record.name, record.version.str());
  auto& versions = packages_[record.name];
  // The same version can appear in several sources (bookworm and bookworm-updates); keep one.
  for (const auto& v : versions) {
    if (v.version == record.version && v.architecture == record.architecture) return;
  }
  versions.push_back(std::move(record));
  std::stable_sort(versions.begin(), versions.end(),
                   [](const PackageRecord& a, const PackageRecord& b) { return a.version > b.version; });
  ++count_;
}

const std::vector<PackageRecord>* PackageIndex::Versions(std::string_view name) const {
  auto it = packages_.find(name);
  return it == packages_.end() ? nullptr : &it->second;
}

std::vector<const PackageRecord*> PackageIndex::Providers(std::string_view name) const {
  std::vector<const PackageRecord*> out;
  auto it = provides_.find(name);
  if (it == provides_.end()) return out;
  for (const auto& [pkg, ver] : it->second) {
    auto v = DpkgVersion::Parse(ver);
    if (!v) continue;
    const PackageRecord* r = Find(pkg, *v);
    if (r && std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
  }
  std::sort(out.begin(), out.end(), [](const PackageRecord* a, const PackageRecord* b) {
    if (a->name != b->name) return a->name < b->name;
    return a->version > b->version;
  });
  return out;
}

const PackageRecord* PackageIndex::Find(std::string_view name, const DpkgVersion& version) const {
  const auto* versions = Versions(name);
  if (!versions) return nullptr;
  for (const auto& r : *versions) {
    if (r.version == version) return &r;
  }
  return nullptr;
}

}  // namespace plinth::debian
