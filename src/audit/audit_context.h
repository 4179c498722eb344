// AuditContext: what every rule of the image audit reads (the image's config, the facts one
// pass over its filesystem gathered, the policy) and the one way rules report (Report, which
// applies the rule's severity, the policy's suppressions and a cap of findings per rule, so an
// image built wholly for the wrong machine yields a readable list, not thousands of lines).
// Internal to src/audit.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_finding.h"
#include "audit/image_facts.h"
#include "oci/image.h"

namespace plinth::audit {

class AuditContext {
 public:
  static constexpr int kMaxFindingsPerRule = 20;

  AuditContext(std::string image_name, const oci::Image& image, const ImageFacts& facts,
               const AuditPolicy& policy, int64_t compressed_size)
      : image_name_(std::move(image_name)),
        image_(image),
        facts_(facts),
        policy_(policy),
        compressed_size_(compressed_size) {}

  const oci::Image& image() const { return image_; }
  const ImageFacts& facts() const { return facts_; }
  const AuditPolicy& policy() const { return policy_; }
  int64_t compressed_size() const { return compressed_size_; }

  void Report(std::string_view code, std::string path, std::string message);
  void Report(std::string_view code, Severity severity, std::string path, std::string message);
  // Adds "… and N more" findings for rules over the cap; returns every finding, sorted.
  std::vector<AuditFinding> Finish();
  size_t suppressed() const { return suppressed_; }

 private:
  std::string image_name_;
  const oci::Image& image_;
  const ImageFacts& facts_;
  const AuditPolicy& policy_;
  int64_t compressed_size_;
  std::vector<AuditFinding> findings_;
  std::map<std::string, int> per_rule_;
  size_t suppressed_ = 0;
};

// The rule groups, one file each.
void CheckUser(AuditContext& ctx);         // user_rules.cc
void CheckTools(AuditContext& ctx);        // tool_rules.cc
void CheckModes(AuditContext& ctx);        // mode_rules.cc
void CheckElfMachines(AuditContext& ctx);  // exec_rules.cc
void CheckCommands(AuditContext& ctx);     // exec_rules.cc
void CheckSecrets(AuditContext& ctx);      // secret_rules.cc
void CheckSize(AuditContext& ctx);         // size_rules.cc

}  // namespace plinth::audit
