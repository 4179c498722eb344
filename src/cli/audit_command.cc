// `plinth audit [IMAGE…] [--format text|json|sarif] [--platform P] [--fail-on LEVEL]
// [--vulns DB]`: what an
// image is, checked against the fleet's promises (docs/audit.md). IMAGE is a name in the store,
// `store:NAME`, `oci:DIR[:NAME]`, `oci-archive:FILE[:NAME]`, or a registry reference (pulled
// into the store, verified, and named there as `plinth pull` names it). Without IMAGE: every
// target of plinth.yaml, every platform, from the store. An image that is a fleet target's is
// held to its tier's policy; any other to the defaults. Exit 0: nothing at the threshold;
// 1: a finding at or above --fail-on (default error); 2: bad input. With --vulns, each image's
// Debian packages are matched against an offline OSV database too (audit/image_vulns.h), and
// --fail-on also takes a vulnerability level (critical, high, medium, low).
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>

#include "audit/audit_report.h"
#include "audit/image_vulns.h"
#include "audit/vuln_report.h"
#include "audit/vuln_severity.h"
#include "cli/audit_session.h"
#include "cli/command.h"
#include "cli/fleet_session.h"
#include "cli/registry_flags.h"
#include "registry/image_location.h"
#include "registry/oci_archive_import.h"
#include "registry/puller.h"
#include "registry/registry_context.h"

namespace plinth::cli {
namespace {

struct AuditArgs {
  std::vector<std::string> images;
  std::string format = "text";
  std::string fail_on = "error";
  std::string explain;
  std::string vulns;  // an OSV database: a folder of advisories, a .zip of them, or one .json
  RegistryFlags flags;
};

struct FleetTargets {
  std::optional<fleet::Fleet> fleet;
  std::map<std::string, const fleet::Target*> by_image;  // every platform's name and the index's
};

FleetTargets IndexTargets(fleet::Fleet fleet) {
  FleetTargets out;
  out.fleet = std::move(fleet);
  for (const fleet::Target* t : out.fleet->Targets()) {
    for (const std::string& p : out.fleet->PlatformsOf(*t))
      if (auto name = out.fleet->ImageFor(*t, p)) out.by_image[*name] = t;
    if (auto index = out.fleet->IndexFor(*t)) out.by_image[*index] = t;
  }
  return out;
}

// For IMAGE arguments: the fleet in this folder (or -f), if any, decides the policy of images
// that are its targets'. One that does not load is said, not needed.
FleetTargets OptionalTargets(const GlobalOptions& global) {
  if (global.FleetPath().empty()) return {};
  auto fleet = LoadSessionFleet(global);
  if (!fleet) {
    std::cerr << "plinth: warning: " << fleet.error().ToString()
              << " (images are audited with the default policy)\n";
    return {};
  }
  return IndexTargets(std::move(*fleet));
}

Result<audit::AuditPolicy> PolicyForName(const FleetTargets& targets, const std::string& name) {
  auto it = targets.by_image.find(name);
  if (it == targets.by_image.end()) return audit::AuditPolicy{};
  return AuditPolicyFor(*targets.fleet, *it->second);
}

Result<oci::Descriptor> OnlyImage(const oci::LayoutStore& layout, const std::string& where) {
  PLINTH_TRY(auto entries, layout.List());
  if (entries.size() != 1)
    return InvalidInput(where + " holds " + std::to_string(entries.size()) +
                        " images: name one as oci:DIR:NAME");
  return entries[0].descriptor;
}

class Auditor {
 public:
  Auditor(const GlobalOptions& global, const AuditArgs& args, std::optional<oci::Platform> platform,
          const audit::OsvDatabase* vulns)
      : global_(global), args_(args), platform_(std::move(platform)), vulns_(vulns) {}

  // One IMAGE argument.
  Status AuditArgument(const std::string& text, const FleetTargets& targets) {
    bool explicit_transport = text.starts_with("oci:") || text.starts_with("oci-archive:") ||
                              text.starts_with("store:") || text.starts_with("docker://");
    if (!explicit_transport) {
      // A name in the store first, as `plinth image inspect` finds it; else a registry.
      if (auto store = oci::LayoutStore::OpenExisting(global_.StorePath())) {
        if (auto root = store->Resolve(text)) return AuditIn(*store, *root, text, targets);
      }
    }
    PLINTH_TRY(registry::ImageLocation location, registry::ImageLocation::Parse(text));
    switch (location.kind) {
      case registry::LocationKind::kStore: {
        PLINTH_TRY(oci::LayoutStore store, oci::LayoutStore::OpenExisting(global_.StorePath()));
        PLINTH_TRY(oci::Descriptor root, store.Resolve(location.name));
        return AuditIn(store, root, location.name, targets);
      }
      case registry::LocationKind::kLayout: {
        auto layout = oci::LayoutStore::OpenExisting(location.path);
        if (!layout) return layout.error().Context("opening " + location.str());
        PLINTH_TRY(oci::Descriptor root, location.name.empty() ? OnlyImage(*layout, location.str())
                                                               : layout->Resolve(location.name));
        return AuditIn(*layout, root, text, targets);
      }
      case registry::LocationKind::kArchive: {
        PLINTH_TRY(oci::LayoutStore store, global_.OpenStoreForWriting());
        // The imported blobs stay untagged: gc waits until the audit has read them.
        PLINTH_TRY(auto lock, store.WriterLock());
        PLINTH_TRY(oci::Descriptor root,
                   registry::ImportOciArchive(location.path, location.name, store));
        return AuditIn(store, root, text, targets);
      }
      case registry::LocationKind::kRegistry: {
        PLINTH_TRY(oci::LayoutStore store, global_.OpenStoreForWriting());
        const oci::Reference& ref = location.reference;
        registry::RegistryContext registries;
        ApplyRegistryFlags(args_.flags, ref.domain(), registries.hosts());
        registry::Puller puller(registries.Client(ref.domain()), store,
                                {.jobs = args_.flags.jobs, .platform = platform_});
        PLINTH_TRY(registry::PullResult pulled,
                   puller.Pull(ref.path(), ref.has_digest() ? ref.digest().str() : ref.tag(),
                               ref.Familiar()));
        return AuditIn(store, pulled.root, ref.Familiar(), targets);
      }
    }
    return Ok{};
  }

  // Every target of the fleet, every platform, from the store.
  Status AuditFleet(const FleetTargets& targets) {
    const fleet::Fleet& fleet = *targets.fleet;
    PLINTH_TRY(oci::LayoutStore store, oci::LayoutStore::OpenExisting(global_.StorePath()));
    PLINTH_TRY(auto lock, store.ReaderLock());
    std::vector<std::string> missing;
    for (const fleet::Target* t : fleet.Targets()) {
      PLINTH_TRY(audit::AuditPolicy policy, AuditPolicyFor(fleet, *t));
      for (const std::string& p : fleet.PlatformsOf(*t)) {
        if (platform_ && platform_->str() != p) continue;
        PLINTH_TRY(std::string name, fleet.ImageFor(*t, p));
        auto root = store.Resolve(name);
        if (!root) {
          missing.push_back(t->name + " (" + p + "): " + name);
          continue;
        }
        PLINTH_TRY(auto results, AuditRoot(store, *root, name, policy, std::nullopt));
        PLINTH_CHECK(Keep(store, std::move(results)));
      }
    }
    for (const std::string& m : missing)
      std::cerr << "plinth: warning: not in the store, not audited: " << m
                << " (run `plinth build` first)\n";
    if (results_.empty())
      return NotFound("no image of the fleet is in the store " + store.dir() +
                      ": run `plinth build` first");
    return Ok{};
  }

  std::vector<audit::AuditResult>& results() { return results_; }
  const std::vector<audit::VulnFinding>& vuln_matches() const { return vuln_matches_; }

 private:
  // With --vulns: the images' packages matched too, as findings of the same image.
  Status Keep(const oci::LayoutStore& store, std::vector<audit::AuditResult> results) {
    for (auto& r : results) {
      if (vulns_) {
        PLINTH_TRY(audit::ImageVulns v, audit::MatchImageVulns(store, r.manifest, r.image, *vulns_));
        if (v.ecosystem.empty())
          std::cerr << "plinth: warning: " << r.image << " (" << r.platform
                    << ") names no Debian release in its os-release: its packages are not "
                       "matched against "
                    << args_.vulns << "\n";
        for (auto& f : v.findings) r.findings.push_back(std::move(f));
        std::sort(r.findings.begin(), r.findings.end(), audit::FindingLess);
        vuln_matches_.insert(vuln_matches_.end(), v.matches.begin(), v.matches.end());
      }
      results_.push_back(std::move(r));
    }
    return Ok{};
  }

  Status AuditIn(const oci::LayoutStore& layout, const oci::Descriptor& root,
                 const std::string& name, const FleetTargets& targets) {
    PLINTH_TRY(audit::AuditPolicy policy, PolicyForName(targets, name));
    PLINTH_TRY(auto results, AuditRoot(layout, root, name, policy, platform_));
    if (results.empty())
      return NotFound(name + " has no image for " +
                      (platform_ ? platform_->str() : "any platform"));
    return Keep(layout, std::move(results));
  }

  const GlobalOptions& global_;
  const AuditArgs& args_;
  std::optional<oci::Platform> platform_;
  const audit::OsvDatabase* vulns_;
  std::vector<audit::AuditResult> results_;
  std::vector<audit::VulnFinding> vuln_matches_;
};

int Explain(const std::string& name) {
  const audit::AuditRule* rule = audit::FindAuditRule(name);
  if (!rule) {
    std::cerr << "plinth: error: no audit rule \"" << name
              << "\" (try PA101, shell or CIS-DI-0001)\n";
    return 2;
  }
  std::cout << rule->code << " " << rule->slug << " (" << audit::SeverityName(rule->severity)
            << ")";
  for (auto a : rule->aliases) std::cout << " " << a;
  std::cout << "\n  " << rule->summary << "\n";
  if (!rule->hint.empty()) std::cout << "  fix: " << rule->hint << "\n";
  return 0;
}

int Audit(const GlobalOptions& global, const AuditArgs& args) {
  if (!args.explain.empty()) return Explain(args.explain);
  auto format = audit::ParseAuditFormat(args.format);
  if (!format)
    return ReportError(
        InvalidInput("--format: expected text, json or sarif, found \"" + args.format + "\""));
  // --fail-on: an audit level (error, warning, note) applies to every finding; a vulnerability
  // level (critical … low) to the vulnerabilities, while audit errors still fail.
  auto fail_on = audit::ParseSeverity(args.fail_on);
  std::optional<audit::VulnSeverity> fail_on_vuln;
  if (!fail_on) {
    auto vuln_level = audit::ParseVulnSeverity(args.fail_on);
    if (!vuln_level || args.vulns.empty())
      return ReportError(InvalidInput(
          "--fail-on: expected error, warning or note (or, with --vulns, critical, high, medium "
          "or low), found \"" + args.fail_on + "\""));
    fail_on = audit::Severity::kError;
    fail_on_vuln = *vuln_level;
  }
  std::optional<audit::OsvDatabase> db;
  if (!args.vulns.empty()) {
    auto loaded = audit::LoadOsvDatabase(args.vulns);
    if (!loaded) return ReportError(loaded.error().Context("--vulns " + args.vulns));
    db = std::move(*loaded);
  }
  std::optional<oci::Platform> platform;
  if (!args.flags.platform.empty()) {
    auto parsed = oci::Platform::Parse(args.flags.platform);
    if (!parsed) return ReportError(parsed.error());
    platform = *parsed;
  }
  Auditor auditor(global, args, platform, db ? &*db : nullptr);
  if (args.images.empty()) {
    auto fleet = LoadSessionFleet(global);
    if (!fleet) return ReportError(fleet.error());
    if (Status s = auditor.AuditFleet(IndexTargets(std::move(*fleet))); !s)
      return ReportError(s.error());
  } else {
    FleetTargets targets = OptionalTargets(global);
    for (const std::string& image : args.images)
      if (Status s = auditor.AuditArgument(image, targets); !s)
        return ReportError(s.error().Context("auditing " + image));
  }
  std::cout << audit::FormatAudit(*format, auditor.results());
  if (fail_on_vuln) {
    if (audit::ReachesThreshold(auditor.vuln_matches(), *fail_on_vuln)) return 1;
    for (const auto& r : auditor.results())
      for (const auto& f : r.findings)
        if (f.slug != "vulnerable-package" && audit::AtLeast(f.severity, *fail_on)) return 1;
    return 0;
  }
  for (const auto& r : auditor.results())
    for (const auto& f : r.findings)
      if (audit::AtLeast(f.severity, *fail_on)) return 1;
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit",
      "Check what images are (user, shells, package managers, modes, ELF files, what "
      "runs, secrets, size) against the fleet's tiers");
  cmd->add_option("IMAGE", args->images,
                  "a name in the store, oci:DIR[:NAME], oci-archive:FILE[:NAME] or a registry "
                  "reference (default: every target of plinth.yaml, from the store)");
  AddFormatOption(cmd, &args->format, "text, json or sarif")->capture_default_str();
  cmd->add_option("--platform", args->flags.platform,
                  "audit only this platform (os/arch[/variant])");
  cmd->add_option("--fail-on", args->fail_on,
                  "error (default), warning or note: the least severe finding that exits 1")
      ->capture_default_str();
  cmd->add_option("--vulns", args->vulns,
                  "match each image's Debian packages against this OSV database (a folder of "
                  "advisories, a .zip of them as OSV publishes Debian/all.zip, or one .json)");
  cmd->add_option("--explain", args->explain, "describe a rule (PA110, shell, CIS-DI-0001, …)");
  AddRegistryFlags(cmd, args->flags, "the registry an IMAGE is pulled from");
  cmd->callback([&global, args] { global.exit_code = Audit(global, *args); });
}

const bool kRegistered = RegisterCommand(21, Setup);

}  // namespace
}  // namespace plinth::cli
