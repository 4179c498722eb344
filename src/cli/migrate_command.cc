// `plinth migrate [--dry-run]`: rewrites each service's runtime FROM to its tier's policy
// (lint/migration.h). --dry-run prints a unified diff and changes nothing. Exit 0 when done (or
// nothing to do), 1 when --dry-run found changes or a service could not be resolved, 2 on bad
// input.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "fleet/manifest_loader.h"
#include "lint/migration.h"

namespace plinth::cli {
namespace {

int Migrate(const GlobalOptions& global, bool dry_run) {
  std::string manifest = global.FleetPath();
  if (manifest.empty()) return ReportError(InvalidInput("no plinth.yaml in this folder: give -f plinth.yaml"));
  auto fleet = fleet::LoadFleet(manifest);
  if (!fleet) return ReportError(fleet.error());
  auto plan = lint::PlanMigration(*fleet);
  if (!plan) return ReportError(plan.error());
  for (const auto& problem : plan->unresolved) std::cerr << "plinth: warning: " << problem << "\n";
  for (const auto& change : plan->changes) {
    if (dry_run) {
      std::cout << lint::UnifiedDiff(change.before, change.after, "a/" + change.path, "b/" + change.path);
    } else {
      std::cout << change.from.ToString() << ": " << change.target << ": " << change.old_base << " → "
                << change.new_base << "\n";
    }
  }
  if (!dry_run) {
    if (auto status = lint::ApplyMigration(*plan); !status) return ReportError(status.error());
    if (plan->changes.empty()) std::cout << "nothing to migrate\n";
  }
  if (!plan->unresolved.empty()) return 1;
  return dry_run && !plan->changes.empty() ? 1 : 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto dry_run = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("migrate", "Rewrite runtime FROM lines to each tier's base policy");
  cmd->add_flag("--dry-run", *dry_run, "print a unified diff instead of writing");
  cmd->callback([&global, dry_run] { global.exit_code = Migrate(global, *dry_run); });
}

const bool kRegistered = RegisterCommand(25, Setup);

}  // namespace
}  // namespace plinth::cli
