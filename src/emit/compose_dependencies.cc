#include "emit/compose_dependencies.h"

#include <algorithm>
#include <set>

namespace plinth::emit {
namespace {

// The services as a graph: an edge a → b means a waits for b.
class WaitGraph {
 public:
  explicit WaitGraph(size_t n) : edges_(n) {}
  void Add(size_t from, size_t to, DependencyReason why) { edges_[from][to] = why; }
  void Remove(size_t from, size_t to) { edges_[from].erase(to); }
  const std::map<size_t, DependencyReason>& From(size_t node) const { return edges_[node]; }

  // Whether `to` is reachable from `from`, not counting the direct edge from → skip.
  bool Reaches(size_t from, size_t to, size_t skip = SIZE_MAX) const {
    std::vector<size_t> stack;
    std::set<size_t> seen;
    for (const auto& [next, why] : edges_[from])
      if (next != skip) stack.push_back(next);
    while (!stack.empty()) {
      size_t node = stack.back();
      stack.pop_back();
      if (node == to) return true;
      if (!seen.insert(node).second) continue;
      for (const auto& [next, why] : edges_[node]) stack.push_back(next);
    }
    return false;
  }

 private:
  std::vector<std::map<size_t, DependencyReason>> edges_;
};

}  // namespace

std::map<std::string, std::vector<ComposeDependency>> ComposeDependencies(
    const fleet::Fleet& fleet, const std::vector<const fleet::Target*>& services) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < services.size(); ++i) index[services[i]->name] = i;
  auto phase = [&](size_t i) {
    const fleet::Group* g = fleet.GroupOf(*services[i]);
    return g ? g->phase : 0;
  };
  // Phase, then manifest order: the order edges are considered and lists are written in.
  std::vector<size_t> order(services.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return phase(a) < phase(b); });

  WaitGraph graph(services.size());
  for (size_t i = 0; i < services.size(); ++i)
    for (const auto& name : services[i]->depends_on)
      if (auto it = index.find(name); it != index.end())
        graph.Add(i, it->second, DependencyReason::kDeclared);
  // Every earlier phase, nearest first; an edge that would close a cycle is left out.
  for (size_t s : order) {
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      size_t t = *it;
      if (phase(t) >= phase(s) || graph.From(s).count(t) || graph.Reaches(t, s)) continue;
      graph.Add(s, t, DependencyReason::kPhase);
    }
  }
  // Transitive reduction of the phase edges (the graph is acyclic); declared ones all stay.
  for (size_t s : order) {
    std::vector<size_t> redundant;
    for (const auto& [t, why] : graph.From(s))
      if (why == DependencyReason::kPhase && graph.Reaches(s, t, t)) redundant.push_back(t);
    for (size_t t : redundant) graph.Remove(s, t);
  }

  std::vector<size_t> rank(services.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  std::map<std::string, std::vector<ComposeDependency>> out;
  for (size_t s = 0; s < services.size(); ++s) {
    std::vector<size_t> targets;
    for (const auto& [t, why] : graph.From(s)) targets.push_back(t);
    std::sort(targets.begin(), targets.end(), [&](size_t a, size_t b) { return rank[a] < rank[b]; });
    auto& list = out[services[s]->name];
    for (size_t t : targets) list.push_back({services[t], graph.From(s).at(t)});
  }
  return out;
}

}  // namespace plinth::emit
