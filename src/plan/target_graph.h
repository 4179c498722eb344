// TargetGraph: what the fleet builds and in which order, as ninja's State holds nodes and edges.
// A target is one image for one platform ("api-gateway@linux/arm64"); an edge A → B says A needs
// B built first (a FROM or COPY --from naming a fleet image, or a declared phase order).
//
// The graph answers: is it acyclic (else the cycle, by name), the phases (targets that can build
// together: longest-path depth from the roots), the critical path (the chain with the largest
// summed cost), how much work remains below each target (the executor starts the largest
// first), and what a selection of targets needs transitively.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::plan {

using TargetId = size_t;

struct TargetNode {
  std::string name;                 // unique, e.g. "api-gateway@linux/arm64"
  std::vector<TargetId> needs;      // built before this one
  std::vector<std::string> why;     // parallel to needs: "FROM pickme/lucid-base:…", "phase"
  double cost = 1.0;                // estimated seconds (the last build's, from the cache records)
};

class TargetGraph {
 public:
  // Adds a target; names must be unique.
  Result<TargetId> Add(std::string name, double cost = 1.0);
  // `target` needs `dependency` first; `why` says which input made the edge.
  void AddNeed(TargetId target, TargetId dependency, std::string why);

  size_t size() const { return nodes_.size(); }
  const TargetNode& node(TargetId id) const { return nodes_[id]; }
  TargetNode& node(TargetId id) { return nodes_[id]; }
  std::optional<TargetId> Find(const std::string& name) const;
  // Targets that need `id` (reverse edges).
  std::vector<TargetId> Dependents(TargetId id) const;

  // Fails with the cycle spelled out ("a → b → c → a") if there is one.
  Status CheckAcyclic() const;
  // Phases: phase 0 has no needs; phase k needs something in phase k-1. Requires acyclic.
  std::vector<std::vector<TargetId>> Phases() const;
  // The chain of selected targets whose summed cost is largest, from one that needs nothing
  // selected to one nothing selected needs. Requires acyclic.
  std::vector<TargetId> CriticalPath(const std::set<TargetId>& selection) const;
  // For each target of `selection`, the summed cost of the longest chain of selected targets
  // from it to one nothing selected needs, itself included (0 outside the selection): the
  // least time the build still takes once it starts. Requires acyclic.
  std::vector<double> RemainingCost(const std::set<TargetId>& selection) const;
  // `roots` and everything they need, transitively.
  std::set<TargetId> Closure(const std::vector<TargetId>& roots) const;
  // A topological order (needs first), stable by insertion order.
  std::vector<TargetId> TopologicalOrder() const;

 private:
  std::vector<TargetNode> nodes_;
  std::map<std::string, TargetId> by_name_;
};

}  // namespace plinth::plan
