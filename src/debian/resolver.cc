#include "debian/resolver.h"

#include <deque>

namespace plinth::debian {
namespace {

struct Constraint {
  DependencyAtom atom;
  std::string chain;  // who asked
};

class Solver {
 public:
  Solver(const PackageIndex& index, const ResolveOptions& options)
      : index_(index), options_(options) {}

  Result<Resolution> Run() {
    // A re-pick (a later relation ruled out the version chosen first) restarts the walk with
    // everything learned so far; each restart narrows a package's range, so this ends.
    for (int attempt = 0; attempt < 64; ++attempt) {
      PLINTH_TRY(bool restart, Walk());
      if (!restart) {
        PLINTH_CHECK(CheckConflicts());
        Resolution out;
        for (const auto& [name, record] : selected_) out.packages.push_back(record);
        out.dropped = dropped_;
        out.present = present_used_;
        out.why = why_;
        return out;
      }
    }
    return Error(ErrorKind::kFailed, "resolving packages: no stable solution after 64 passes");
  }

 private:
  bool IsArchOk(const DependencyAtom& atom) const {
    const std::string& q = atom.arch_qualifier;
    return q.empty() || q == "any" || q == "native" || q == index_.architecture();
  }

  bool IsDropped(const DependencyAtom& atom) {
    if (options_.excludes.count(atom.name)) return true;
    if (options_.essential == EssentialPolicy::kSatisfied && !roots_.count(atom.name)) {
      const auto* versions = index_.Versions(atom.name);
      if (versions && !versions->empty() && versions->front().essential) return true;
    }
    return false;
  }

  // A package of the image underneath that meets `atom`, directly or through Provides.
  const PresentPackage* SatisfiedByPresent(const DependencyAtom& atom) const {
    if (!IsArchOk(atom)) return nullptr;
    for (const auto& p : options_.present) {
      if (p.name == atom.name && Satisfies(p.version, atom.op, atom.version)) return &p;
      for (const auto& v : p.provides) {
        if (v.name != atom.name) continue;
        if (atom.op == VersionOp::kAny) return &p;
        if (v.op == VersionOp::kEqual && Satisfies(v.version, atom.op, atom.version)) return &p;
      }
    }
    return nullptr;
  }

  // The package of the image underneath called `name`, or nullptr.
  const PresentPackage* PresentNamed(const std::string& name) const {
    for (const auto& p : options_.present)
      if (p.name == name) return &p;
    return nullptr;
  }

  // A selected package that meets `atom`, directly or through Provides.
  bool SatisfiedBySelection(const DependencyAtom& atom) const {
    if (!IsArchOk(atom)) return false;
    auto it = selected_.find(atom.name);
    if (it != selected_.end() && Satisfies(it->second->version, atom.op, atom.version))
      return true;
    for (const auto& [name, record] : selected_) {
      for (const auto& p : record->provides) {
        if (p.name != atom.name) continue;
        if (atom.op == VersionOp::kAny) return true;
        if (p.op == VersionOp::kEqual && Satisfies(p.version, atom.op, atom.version)) return true;
      }
    }
    return false;
  }

  // The highest version of a real package meeting `atom` and every relation recorded on it.
  const PackageRecord* BestVersion(const std::string& name, const DependencyAtom* atom) const {
    const auto* versions = index_.Versions(name);
    if (!versions) return nullptr;
    auto cit = constraints_.find(name);
    for (const auto& r : *versions) {
      if (atom && !Satisfies(r.version, atom->op, atom->version)) continue;
      bool ok = true;
      if (cit != constraints_.end()) {
        for (const auto& c : cit->second) {
          if (!Satisfies(r.version, c.atom.op, c.atom.version)) ok = false;
        }
      }
      if (ok) return &r;
    }
    return nullptr;
  }

  std::string Describe(const std::string& name) const {
    const auto* versions = index_.Versions(name);
    if (!versions || versions->empty()) {
      auto providers = index_.Providers(name);
      if (providers.empty()) return "no package '" + name + "' and nothing provides it";
      std::string out = "'" + name + "' is virtual, provided by";
      for (const auto* p : providers) out += " " + p->name;
      return out;
    }
    std::string out = "available: ";
    for (size_t i = 0; i < versions->size(); ++i) out += (i ? ", " : "") + (*versions)[i].version.str();
    return out;
  }

  std::string ConstraintList(const std::string& name) const {
    std::string out;
    auto it = constraints_.find(name);
    if (it == constraints_.end()) return out;
    for (const auto& c : it->second) {
      if (c.atom.op == VersionOp::kAny) continue;
      out += "\n  " + c.chain + " requires " + c.atom.ToString();
    }
    return out;
  }

  // Selects `record` for its name; true if a different version had been selected (restart).
  bool Select(const PackageRecord* record, const std::string& chain) {
    auto [it, inserted] = selected_.emplace(record->name, record);
    if (inserted) {
      why_[record->name] = chain;
      queue_.push_back(record);
      return false;
    }
    if (it->second == record) return false;
    it->second = record;
    return true;
  }

  // Meets one dependency group of `chain`'s last package. Returns true to restart the walk.
  Result<bool> Meet(const DependencyGroup& group, const std::string& chain) {
    for (const auto& atom : group) {
      if (IsDropped(atom)) {
        dropped_.insert(atom.name);
        return false;
      }
    }
    for (const auto& atom : group) {
      if (const PresentPackage* p = SatisfiedByPresent(atom)) {
        present_used_.insert(p->name);
        return false;
      }
    }
    for (const auto& atom : group) {
      if (SatisfiedBySelection(atom)) {
        if (selected_.count(atom.name)) Record(atom, chain);
        return false;
      }
    }
    for (const auto& atom : group) {
      if (!IsArchOk(atom)) continue;
      // A package underneath cannot be replaced by a layer (two versions would be recorded):
      // another alternative may still do.
      if (PresentNamed(atom.name)) continue;
      if (index_.Versions(atom.name)) {
        Record(atom, chain);
        const PackageRecord* best = BestVersion(atom.name, &atom);
        if (best) return Select(best, chain + " -> " + best->name);
        continue;
      }
      for (const PackageRecord* provider : index_.Providers(atom.name)) {
        if (options_.excludes.count(provider->name) || PresentNamed(provider->name)) continue;
        bool versioned_ok = atom.op == VersionOp::kAny;
        for (const auto& p : provider->provides) {
          if (p.name == atom.name && p.op == VersionOp::kEqual &&
              Satisfies(p.version, atom.op, atom.version))
            versioned_ok = true;
        }
        if (!versioned_ok) continue;
        const PackageRecord* best = BestVersion(provider->name, nullptr);
        if (best == provider || (best && !selected_.count(provider->name)))
          return Select(best, chain + " -> " + best->name);
      }
    }
    for (const auto& atom : group) {
      if (const PresentPackage* p = PresentNamed(atom.name))
        return Error(ErrorKind::kFailed, "cannot satisfy " + chain + " depends on " +
                                             GroupToString(group) + ": the image underneath has " +
                                             p->name + " " + p->version.str() +
                                             ", which a layer cannot replace");
    }
    // Nothing works: explain with the first alternative, where the user most likely looks.
    const DependencyAtom& first = group.front();
    std::string msg = "cannot satisfy " + chain + " depends on " + GroupToString(group) + ": ";
    if (!IsArchOk(first)) {
      msg += "architecture qualifier ':" + first.arch_qualifier + "' does not match " +
             index_.architecture();
    } else {
      msg += Describe(first.name);
      std::string relations = ConstraintList(first.name);
      if (!relations.empty()) msg += "; relations on " + first.name + ":" + relations;
    }
    return Error(ErrorKind::kFailed, msg);
  }

  void Record(const DependencyAtom& atom, const std::string& chain) {
    auto& list = constraints_[atom.name];
    for (const auto& c : list) {
      if (c.chain == chain && c.atom.ToString() == atom.ToString()) return;
    }
    list.push_back({atom, chain});
  }

  Result<bool> Walk() {
    selected_.clear();
    why_.clear();
    dropped_.clear();
    present_used_.clear();
    queue_.clear();
    roots_.clear();
    std::vector<DependencyAtom> root_atoms;
    for (const auto& root : options_.roots) {
      DependencyAtom atom;
      size_t eq = root.find('=');
      atom.name = root.substr(0, eq);
      if (eq != std::string::npos) {
        atom.op = VersionOp::kEqual;
        PLINTH_TRY(atom.version, DpkgVersion::Parse(root.substr(eq + 1)));
      }
      if (options_.excludes.count(atom.name))
        return InvalidInput("package '" + atom.name + "' is both requested and excluded");
      roots_.insert(atom.name);
      root_atoms.push_back(std::move(atom));
    }
    for (const auto& atom : root_atoms) {
      if (!index_.Versions(atom.name) && index_.Providers(atom.name).empty())
        return Error(ErrorKind::kFailed, "cannot satisfy requested package " + atom.name + ": " +
                                             Describe(atom.name));
      PLINTH_TRY(bool restart, Meet({atom}, "(recipe)"));
      if (restart) return true;
    }
    while (!queue_.empty()) {
      const PackageRecord* record = queue_.front();
      queue_.pop_front();
      std::string chain = why_[record->name];
      for (const auto& group : record->depends) {
        PLINTH_TRY(bool restart, Meet(group, chain));
        if (restart) return true;
        // A package whose own selection was replaced must not keep expanding.
        if (selected_[record->name] != record) return true;
      }
    }
    return false;
  }

  Status CheckConflicts() const {
    for (const auto& [name, record] : selected_) {
      for (const auto& c : record->conflicts) {
        for (const auto& [other_name, other] : selected_) {
          if (other == record) continue;
          bool hit = false;
          if (other_name == c.name && Satisfies(other->version, c.op, c.version)) hit = true;
          for (const auto& p : other->provides) {
            if (p.name == c.name && c.op == VersionOp::kAny) hit = true;
          }
          if (!hit) continue;
          return Error(ErrorKind::kFailed,
                       "packages conflict: " + record->name + " " + record->version.str() +
                           " conflicts with " + c.ToString() + "\n  " + record->name +
                           " comes from " + why_.at(name) + "\n  " + other_name +
                           " comes from " + why_.at(other_name));
        }
        // The image underneath cannot lose a package to a layer either.
        for (const auto& p : options_.present) {
          bool hit = p.name == c.name && Satisfies(p.version, c.op, c.version);
          for (const auto& v : p.provides) {
            if (v.name == c.name && c.op == VersionOp::kAny) hit = true;
          }
          if (!hit) continue;
          return Error(ErrorKind::kFailed,
                       "packages conflict: " + record->name + " " + record->version.str() +
                           " conflicts with " + c.ToString() + ", which the image underneath has (" +
                           p.name + " " + p.version.str() + ")\n  " + record->name +
                           " comes from " + why_.at(name));
        }
      }
    }
    return Ok{};
  }

  const PackageIndex& index_;
  const ResolveOptions& options_;
  std::map<std::string, const PackageRecord*> selected_;
  std::map<std::string, std::string> why_;
  std::map<std::string, std::vector<Constraint>> constraints_;
  std::set<std::string> dropped_;
  std::set<std::string> present_used_;
  std::set<std::string> roots_;
  std::deque<const PackageRecord*> queue_;
};

}  // namespace

Result<Resolution> Resolve(const PackageIndex& index, const ResolveOptions& options) {
  Solver solver(index, options);
  auto result = solver.Run();
  if (!result) return result.error().Context("resolving packages for " + index.architecture());
  return result;
}

}  // namespace plinth::debian
