// Dependency: a parsed relationship field (Depends, Pre-Depends, Provides, Conflicts, Breaks).
// Grammar (Debian Policy 7.1, as in binary package indexes):
//
//   field       := group ("," group)*
//   group       := atom ("|" atom)*                       ; alternatives, first preferred
//   atom        := name [":" arch-qualifier] ["(" op version ")"] ["[" archs "]"] ["<" profiles ">"]
//   op          := "<<" | "<=" | "=" | ">=" | ">>" | "<" | ">"
//
// arch-qualifier is "any", "native" or an architecture name. Architecture lists and build
// profiles appear only in source packages; they are parsed and dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "debian/dpkg_version.h"
#include "util/result.h"

namespace plinth::debian {

struct DependencyAtom {
  std::string name;
  std::string arch_qualifier;  // "", "any", "native" or an architecture
  VersionOp op = VersionOp::kAny;
  DpkgVersion version;         // meaningful when op != kAny

  std::string ToString() const;  // "name:qual (op version)"
};

using DependencyGroup = std::vector<DependencyAtom>;  // alternatives

Result<std::vector<DependencyGroup>> ParseDependencies(std::string_view field);
// Provides, Conflicts and Breaks take no alternatives; each group has one atom.
Result<std::vector<DependencyAtom>> ParseAtomList(std::string_view field);

std::string GroupToString(const DependencyGroup& group);

}  // namespace plinth::debian
