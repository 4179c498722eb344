#include "audit/image_auditor.h"

#include "audit/audit_context.h"
#include "audit/image_facts.h"
#include "oci/image.h"
#include "oci/manifest.h"

namespace plinth::audit {

Result<AuditResult> AuditImage(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                               const std::string& name, const AuditPolicy& policy) {
  PLINTH_TRY(std::string manifest_bytes, store.ReadBlob(manifest.digest));
  PLINTH_TRY(oci::Manifest parsed, oci::Manifest::Parse(manifest_bytes));
  PLINTH_TRY(oci::Image image, oci::ReadImage(store, manifest));
  int64_t compressed = static_cast<int64_t>(manifest_bytes.size()) + parsed.config.size;
  for (const auto& l : image.layers) compressed += l.size;

  auto facts = CollectImageFacts(store, image);
  if (!facts) return facts.error().Context("auditing " + name);
  AuditContext ctx(name, image, *facts, policy, compressed);
  CheckUser(ctx);
  CheckTools(ctx);
  CheckModes(ctx);
  CheckElfMachines(ctx);
  CheckCommands(ctx);
  CheckSecrets(ctx);
  CheckSize(ctx);

  AuditResult result;
  result.image = name;
  result.manifest = manifest;
  const oci::Platform& p = image.config.platform;
  result.platform = p.os + "/" + p.architecture + (p.variant.empty() ? "" : "/" + p.variant);
  result.findings = ctx.Finish();
  result.suppressed = ctx.suppressed();
  result.figures = facts->figures;
  result.files = facts->files.size();
  result.compressed_size = compressed;
  return result;
}

}  // namespace plinth::audit
