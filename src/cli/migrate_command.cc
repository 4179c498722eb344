// `plinth migrate [--dry-run] [--format text|json]`: rewrites each service's runtime FROM to its tier's policy
// (lint/migration.h). --dry-run prints a unified diff and changes nothing. Exit 0 when done (or
// nothing to do), 1 when --dry-run found changes or a service could not be resolved, 2 on bad
// input. --format json prints one object: {dry_run, changes: [{service, path, where, old_base,
// new_base}], unresolved}.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/format.h"
#include "fleet/manifest_loader.h"
#include "lint/migration.h"

namespace plinth::cli {
namespace {

// The text form: a unified diff under --dry-run, else one line per rewritten FROM (and the
// files written).
Status PrintTextAndApply(const lint::MigrationPlan& plan, bool dry_run) {
  for (const auto& problem : plan.unresolved) std::cerr << "plinth: warning: " << problem << "\n";
  for (const auto& change : plan.changes) {
    if (dry_run) {
      std::cout << lint::UnifiedDiff(change.before, change.after, "a/" + change.path, "b/" + change.path);
    } else {
      std::cout << change.from.ToString() << ": " << change.target << ": " << change.old_base << " → "
                << change.new_base << "\n";
    }
  }
  if (dry_run) return Ok{};
  PLINTH_CHECK(lint::ApplyMigration(plan));
  if (plan.changes.empty()) std::cout << "nothing to migrate\n";
  return Ok{};
}

Status PrintJsonAndApply(const lint::MigrationPlan& plan, bool dry_run) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : plan.changes)
    changes.push_back({{"service", c.target}, {"path", c.path}, {"where", LocationJson(c.from)},
                       {"old_base", c.old_base}, {"new_base", c.new_base}});
  if (!dry_run) PLINTH_CHECK(lint::ApplyMigration(plan));
  std::cout << DumpJson({{"dry_run", dry_run}, {"changes", changes}, {"unresolved", plan.unresolved}}, 2)
            << "\n";
  return Ok{};
}

int Migrate(const GlobalOptions& global, bool dry_run, const std::string& format) {
  std::string manifest = global.FleetPath();
  if (manifest.empty()) return ReportError(InvalidInput("no plinth.yaml in this folder: give -f plinth.yaml"));
  auto fleet = fleet::LoadFleet(manifest);
  if (!fleet) return ReportError(fleet.error());
  auto plan = lint::PlanMigration(*fleet);
  if (!plan) return ReportError(plan.error());
  auto printed = format == "json" ? PrintJsonAndApply(*plan, dry_run) : PrintTextAndApply(*plan, dry_run);
  if (!printed) return ReportError(printed.error());
  if (!plan->unresolved.empty()) return 1;
  return dry_run && !plan->changes.empty() ? 1 : 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto dry_run = std::make_shared<bool>(false);
  auto format = std::make_shared<std::string>("text");
  auto* cmd = app.add_subcommand("migrate", "Rewrite runtime FROM lines to each tier's base policy");
  cmd->add_flag("--dry-run", *dry_run, "print a unified diff instead of writing");
  AddFormatOption(cmd, format.get(), "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&global, dry_run, format] { global.exit_code = Migrate(global, *dry_run, *format); });
}

const bool kRegistered = RegisterCommand(25, Setup);

}  // namespace
}  // namespace plinth::cli
