// What `plinth audit` and `plinth build --audit` share: the audit policy of a fleet target (its
// tier's rules and `audit:` section, its own suppressions, validated against the rule table
// with plinth.yaml:LINE:COL errors), and the audit of an image in a store, every platform of an
// index or the one asked for.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/image_auditor.h"
#include "fleet/fleet.h"
#include "oci/layout_store.h"
#include "oci/platform.h"

namespace plinth::cli {

// The policy for `target`: `user: nonroot` → uid 65532, `user: any` → root allowed, else a
// non-root uid; the tier's size_budget and audit section; the target's ignore list.
Result<audit::AuditPolicy> AuditPolicyFor(const fleet::Fleet& fleet, const fleet::Target& target);

// Audits `root` (an image manifest or an index) in `store`. An index: each of its platform
// images (attestations and unknown platforms left out), or only `platform`'s.
Result<std::vector<audit::AuditResult>> AuditRoot(const oci::LayoutStore& store,
                                                  const oci::Descriptor& root,
                                                  const std::string& name,
                                                  const audit::AuditPolicy& policy,
                                                  const std::optional<oci::Platform>& platform);

// For `build --audit`: the just-built `image` of `target`; fails (kFailed) naming the first
// error finding and how many there are.
Status AuditBuiltImage(const fleet::Fleet& fleet, const fleet::Target& target,
                       const oci::LayoutStore& store, const std::string& image);

}  // namespace plinth::cli
