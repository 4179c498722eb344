// Size: bytes lower layers hold that upper layers overwrite or delete (PA150, dive's "wasted
// bytes"), the layer count (PA151) and the compressed size against the tier's size_budget
// (PA152; counted as a registry counts it: layers, config and manifest, see
// builder/size_budget.h).
#include "audit/audit_context.h"
#include "audit/audit_report.h"

namespace plinth::audit {
namespace {

std::string Bytes(uint64_t n) { return HumanBytes(n); }

}  // namespace

void CheckSize(AuditContext& ctx) {
  const MergedFigures& figures = ctx.facts().figures;
  const AuditPolicy& policy = ctx.policy();
  if (figures.wasted_bytes > 0) {
    uint64_t total = figures.file_bytes + figures.wasted_bytes;
    double efficiency = total ? 100.0 * static_cast<double>(figures.file_bytes) / total : 100.0;
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", efficiency);
    std::string worst;
    uint64_t most = 0;
    for (size_t i = 0; i < figures.layers.size(); ++i)
      if (figures.layers[i].shadowed_bytes > most) {
        most = figures.layers[i].shadowed_bytes;
        worst = "layer " + std::to_string(i + 1);
      }
    ctx.Report(rules::kWastedBytes,
               figures.wasted_bytes > policy.wasted_bytes ? Severity::kWarning : Severity::kNote,
               "",
               Bytes(figures.wasted_bytes) + " of files that later layers overwrite or delete (" +
                   worst + " holds " + Bytes(most) + " of them); efficiency " + pct);
  }
  size_t layers = ctx.image().layers.size();
  if (policy.max_layers > 0 && layers > static_cast<size_t>(policy.max_layers))
    ctx.Report(rules::kLayerCount, "",
               std::to_string(layers) + " layers, more than max_layers " +
                   std::to_string(policy.max_layers));
  if (policy.size_budget && ctx.compressed_size() > *policy.size_budget)
    ctx.Report(rules::kSizeBudget, "",
               "the image is " + Bytes(static_cast<uint64_t>(ctx.compressed_size())) +
                   " compressed, over tier \"" + policy.tier + "\"'s size_budget of " +
                   Bytes(static_cast<uint64_t>(*policy.size_budget)));
}

}  // namespace plinth::audit
