#include "plan/target_graph.h"

#include <algorithm>
#include <functional>

namespace plinth::plan {

Result<TargetId> TargetGraph::Add(std::string name, double cost) {
  if (by_name_.count(name)) return InvalidInput("target '" + name + "' is defined twice");
  TargetId id = nodes_.size();
  by_name_[name] = id;
  nodes_.push_back({std::move(name), {}, {}, cost});
  return id;
}

void TargetGraph::AddNeed(TargetId target, TargetId dependency, std::string why) {
  auto& node = nodes_[target];
  for (TargetId existing : node.needs)
    if (existing == dependency) return;
  node.needs.push_back(dependency);
  node.why.push_back(std::move(why));
}

std::optional<TargetId> TargetGraph::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

std::vector<TargetId> TargetGraph::Dependents(TargetId id) const {
  std::vector<TargetId> out;
  for (TargetId t = 0; t < nodes_.size(); ++t)
    if (std::find(nodes_[t].needs.begin(), nodes_[t].needs.end(), id) != nodes_[t].needs.end())
      out.push_back(t);
  return out;
}

Status TargetGraph::CheckAcyclic() const {
  enum class Mark { kNone, kActive, kDone };
  std::vector<Mark> mark(nodes_.size(), Mark::kNone);
  std::vector<TargetId> stack;
  std::string cycle;
  std::function<bool(TargetId)> visit = [&](TargetId id) {
    mark[id] = Mark::kActive;
    stack.push_back(id);
    for (TargetId dep : nodes_[id].needs) {
      if (mark[dep] == Mark::kActive) {
        auto from = std::find(stack.begin(), stack.end(), dep);
        for (auto it = from; it != stack.end(); ++it) cycle += nodes_[*it].name + " → ";
        cycle += nodes_[dep].name;
        return false;
      }
      if (mark[dep] == Mark::kNone && !visit(dep)) return false;
    }
    stack.pop_back();
    mark[id] = Mark::kDone;
    return true;
  };
  for (TargetId id = 0; id < nodes_.size(); ++id)
    if (mark[id] == Mark::kNone && !visit(id))
      return InvalidInput("dependency cycle: " + cycle +
                          " (each needs the next; break one FROM, COPY --from or declared need)");
  return Ok{};
}

std::vector<TargetId> TargetGraph::TopologicalOrder() const {
  std::vector<int> state(nodes_.size(), 0);
  std::vector<TargetId> order;
  std::function<void(TargetId)> visit = [&](TargetId id) {
    if (state[id]) return;
    state[id] = 1;
    for (TargetId dep : nodes_[id].needs) visit(dep);
    order.push_back(id);
  };
  for (TargetId id = 0; id < nodes_.size(); ++id) visit(id);
  return order;
}

std::vector<std::vector<TargetId>> TargetGraph::Phases() const {
  std::vector<size_t> depth(nodes_.size(), 0);
  size_t max_depth = 0;
  for (TargetId id : TopologicalOrder()) {
    for (TargetId dep : nodes_[id].needs) depth[id] = std::max(depth[id], depth[dep] + 1);
    max_depth = std::max(max_depth, depth[id]);
  }
  std::vector<std::vector<TargetId>> phases(nodes_.empty() ? 0 : max_depth + 1);
  for (TargetId id = 0; id < nodes_.size(); ++id) phases[depth[id]].push_back(id);
  return phases;
}

std::vector<TargetId> TargetGraph::CriticalPath(const std::set<TargetId>& selection) const {
  std::vector<double> finish(nodes_.size(), 0);
  std::vector<std::optional<TargetId>> via(nodes_.size());
  std::optional<TargetId> end;
  for (TargetId id : TopologicalOrder()) {
    if (!selection.count(id)) continue;
    double start = 0;
    for (TargetId dep : nodes_[id].needs) {
      if (!selection.count(dep)) continue;
      if (!via[id] || finish[dep] > start) {
        start = finish[dep];
        via[id] = dep;
      }
    }
    finish[id] = start + nodes_[id].cost;
    if (!end || finish[id] > finish[*end]) end = id;
  }
  std::vector<TargetId> path;
  for (std::optional<TargetId> at = end; at; at = via[*at]) path.push_back(*at);
  std::reverse(path.begin(), path.end());
  return path;
}

std::vector<double> TargetGraph::RemainingCost(const std::set<TargetId>& selection) const {
  std::vector<double> remaining(nodes_.size(), 0);
  for (TargetId id : selection) remaining[id] = nodes_[id].cost;
  // Dependents come after their needs in a topological order: walking it backwards, a target's
  // remaining cost is final before its needs read it.
  auto order = TopologicalOrder();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    if (!selection.count(*it)) continue;
    for (TargetId dep : nodes_[*it].needs)
      if (selection.count(dep))
        remaining[dep] = std::max(remaining[dep], nodes_[dep].cost + remaining[*it]);
  }
  return remaining;
}

std::set<TargetId> TargetGraph::Closure(const std::vector<TargetId>& roots) const {
  std::set<TargetId> out;
  std::vector<TargetId> stack(roots.begin(), roots.end());
  while (!stack.empty()) {
    TargetId id = stack.back();
    stack.pop_back();
    if (!out.insert(id).second) continue;
    for (TargetId dep : nodes_[id].needs) stack.push_back(dep);
  }
  return out;
}

}  // namespace plinth::plan
