#include "emit/image_graph.h"

#include <algorithm>
#include <set>

#include "util/ascii.h"

namespace plinth::emit {

std::vector<std::vector<size_t>> ImageGraph::Phases() const {
  std::vector<std::vector<size_t>> phases;
  for (size_t i = 0; i < nodes.size(); ++i) {
    size_t p = static_cast<size_t>(nodes[i].phase);
    if (phases.size() <= p) phases.resize(p + 1);
    phases[p].push_back(i);
  }
  return phases;
}

ImageGraph ImageGraphOf(const plan::BuildPlan& plan) {
  ImageGraph graph;
  std::map<std::string, size_t> by_name;
  std::vector<std::set<size_t>> needs;
  // The topological order of targets gives an order of names in which every name's needs come
  // first: a name is placed at its first target, and that target's needs were placed before.
  // A name whose later platform needs a name placed after it would break this, so needs are
  // gathered first and the order is fixed by a second, stable topological pass below.
  for (plan::TargetId id : plan.graph.TopologicalOrder()) {
    if (!plan.selected.count(id)) continue;
    const plan::TargetSpec& spec = plan.specs[id];
    auto [it, added] = by_name.emplace(spec.name, graph.nodes.size());
    if (added) {
      graph.nodes.push_back({.name = spec.name, .source = spec.source, .target = spec.target});
      needs.emplace_back();
    }
    ImageNode& node = graph.nodes[it->second];
    node.images[spec.platform.str()] = spec.image;
  }
  for (plan::TargetId id : plan.selected) {
    const plan::TargetSpec& spec = plan.specs[id];
    for (plan::TargetId dep : plan.graph.node(id).needs) {
      size_t from = by_name.at(spec.name), to = by_name.at(plan.specs[dep].name);
      if (from != to) needs[from].insert(to);
    }
  }
  // Stable topological order over names (Kahn's, always taking the earliest ready node).
  std::vector<size_t> order, pending(graph.nodes.size());
  std::vector<int> phase(graph.nodes.size(), 0);
  std::set<size_t> ready;
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if ((pending[i] = needs[i].size()) == 0) ready.insert(i);
  while (!ready.empty()) {
    size_t i = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(i);
    for (size_t j = 0; j < graph.nodes.size(); ++j) {
      if (!needs[j].count(i)) continue;
      phase[j] = std::max(phase[j], phase[i] + 1);
      if (--pending[j] == 0) ready.insert(j);
    }
  }
  // Target names are acyclic (the plan checked), so merging platforms cannot form a cycle
  // unless two platforms of two names need each other the other way round; such names keep
  // their plan order at the end rather than being dropped.
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
  std::vector<size_t> position(graph.nodes.size());
  for (size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
  ImageGraph sorted;
  for (size_t i : order) {
    ImageNode node = std::move(graph.nodes[i]);
    for (const auto& [platform, image] : node.images) node.platforms.push_back(platform);
    for (size_t dep : needs[i]) node.needs.push_back(position[dep]);
    std::sort(node.needs.begin(), node.needs.end());
    node.phase = phase[i];
    sorted.nodes.push_back(std::move(node));
  }
  return sorted;
}

std::string IdentifierSet::Add(const std::string& name) {
  std::string id;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    id += ok ? c : '-';
  }
  if (id.empty() || (id[0] >= '0' && id[0] <= '9') || id[0] == '-') id = "_" + id;
  // GitHub compares job ids without case: "API" and "api" are the same job.
  std::string key = AsciiLower(id);
  int& uses = taken_[key];
  if (++uses == 1) return id;
  // "a-2" may itself be taken by a name that mapped to it: keep counting until a free one.
  for (;;) {
    std::string candidate = id + "-" + std::to_string(uses);
    if (taken_.emplace(AsciiLower(candidate), 1).second) return candidate;
    ++uses;
  }
}

}  // namespace plinth::emit
