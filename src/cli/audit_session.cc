#include "cli/audit_session.h"

#include "oci/manifest.h"
#include "oci/media_types.h"

namespace plinth::cli {

Result<audit::AuditPolicy> AuditPolicyFor(const fleet::Fleet& fleet, const fleet::Target& target) {
  audit::AuditPolicy policy;
  if (const fleet::Tier* tier = fleet.TierOf(target)) {
    policy.tier = tier->name;
    policy.user = tier->user == fleet::RuntimeUser::kNonRoot ? audit::UserPolicy::kSeedNonRoot
                                                             : audit::UserPolicy::kNonRoot;
    policy.size_budget = tier->size_budget;
    policy.forbid_shell = !tier->audit.shell_allowed;
    policy.forbid_package_manager = !tier->audit.package_manager_allowed;
    if (tier->audit.max_layers) policy.max_layers = *tier->audit.max_layers;
    if (tier->audit.wasted_bytes)
      policy.wasted_bytes = static_cast<uint64_t>(*tier->audit.wasted_bytes);
  }
  for (const fleet::AuditIgnore& ignore : target.audit_ignore)
    policy.ignore.push_back(
        {.code = ignore.code, .reason = ignore.reason, .location = ignore.location});
  PLINTH_CHECK(audit::ValidateSuppressions(policy.ignore));
  return policy;
}

Result<std::vector<audit::AuditResult>> AuditRoot(const oci::LayoutStore& store,
                                                  const oci::Descriptor& root,
                                                  const std::string& name,
                                                  const audit::AuditPolicy& policy,
                                                  const std::optional<oci::Platform>& platform) {
  std::vector<audit::AuditResult> results;
  if (!oci::IsIndexType(root.media_type)) {
    PLINTH_TRY(audit::AuditResult result, audit::AuditImage(store, root, name, policy));
    if (platform) {
      // linux/arm64 asks for linux/arm64/v8 too: a variant counts only when one is asked for.
      PLINTH_TRY(oci::Platform got, oci::Platform::Parse(result.platform));
      if (got.os != platform->os || got.architecture != platform->architecture ||
          (!platform->variant.empty() && got.variant != platform->variant))
        return results;
    }
    results.push_back(std::move(result));
    return results;
  }
  if (platform) {
    PLINTH_TRY(oci::Descriptor manifest, store.SelectPlatform(root, *platform));
    PLINTH_TRY(audit::AuditResult result, audit::AuditImage(store, manifest, name, policy));
    results.push_back(std::move(result));
    return results;
  }
  PLINTH_TRY(std::string bytes, store.ReadBlob(root.digest));
  PLINTH_TRY(oci::Index index, oci::Index::Parse(bytes));
  for (const oci::Descriptor& m : index.manifests) {
    if (!m.platform || m.platform->os == "unknown" || oci::IsIndexType(m.media_type)) continue;
    if (!store.HasBlob(m.digest)) continue;  // a platform not fetched (pull --platform)
    PLINTH_TRY(audit::AuditResult result, audit::AuditImage(store, m, name, policy));
    results.push_back(std::move(result));
  }
  return results;
}

Status AuditBuiltImage(const fleet::Fleet& fleet, const fleet::Target& target,
                       const oci::LayoutStore& store, const std::string& image) {
  PLINTH_TRY(audit::AuditPolicy policy, AuditPolicyFor(fleet, target));
  PLINTH_TRY(oci::Descriptor root, store.Resolve(image));
  PLINTH_TRY(std::vector<audit::AuditResult> results,
             AuditRoot(store, root, image, policy, std::nullopt));
  const audit::AuditFinding* first = nullptr;
  size_t errors = 0;
  for (const auto& r : results)
    for (const auto& f : r.findings)
      if (f.severity == audit::Severity::kError && ++errors == 1) first = &f;
  if (!first) return Ok{};
  std::string where = first->path.empty() ? first->image : first->image + ":/" + first->path;
  return Error(ErrorKind::kFailed, "audit: " + std::to_string(errors) + " error finding" +
                                       (errors == 1 ? "" : "s") + "; first: " + where + ": [" +
                                       first->code + "] " + first->message + " (`plinth audit " +
                                       image + "` lists them)");
}

}  // namespace plinth::cli
