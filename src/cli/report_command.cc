// `plinth report [TARGET…] [--last N] [--format text|json] [--html FILE]`: what the recent
// builds did, from the store's build records (metrics/build_report.h computes it, this file only
// reads the records and the manifest's budgets and prints).
#include <sys/stat.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/format.h"
#include "fleet/manifest_loader.h"
#include "fleet/problem_list.h"
#include "metrics/build_records.h"
#include "metrics/build_report.h"
#include "metrics/report_json.h"
#include "metrics/report_page.h"
#include "util/atomic_file.h"

namespace plinth::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> targets;
  int last = 10;
  std::string format = "text";
  std::string html;
};

// Each fleet target's tier budget, when plinth.yaml is there to say (the records do not keep
// budgets: the report measures against the manifest as it is now).
Result<std::map<std::string, metrics::ImageBudget>> Budgets(const GlobalOptions& global,
                                                            std::vector<std::string>* names) {
  std::map<std::string, metrics::ImageBudget> budgets;
  std::string path = global.FleetPath();
  if (path.empty()) return budgets;
  PLINTH_TRY(fleet::Fleet fleet, fleet::LoadFleet(path));
  for (const fleet::Target* target : fleet.Targets()) {
    names->push_back(target->name);
    const fleet::Tier* tier = fleet.TierOf(*target);
    if (tier && tier->size_budget) budgets[target->name] = {tier->name, *tier->size_budget};
  }
  return budgets;
}

// A TARGET neither the manifest nor the records know is a typo: exit 2 with the nearest name.
Status CheckTargets(const std::vector<std::string>& wanted, std::vector<std::string> known) {
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  for (const auto& name : wanted) {
    if (std::binary_search(known.begin(), known.end(), name)) continue;
    std::string near = fleet::DidYouMean(name, known);
    return InvalidInput("no target named '" + name + "' in plinth.yaml or the build records" +
                        (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  return Status();
}

void PrintTable(const metrics::BuildReport& report) {
  if (!report.last_build) {
    std::cout << "no builds recorded\n";
    return;
  }
  size_t name_width = 5, platform_width = 8;
  for (const auto& i : report.images) {
    name_width = std::max(name_width, i.target.size());
    platform_width = std::max(platform_width, i.platform.size());
  }
  auto cell = [](size_t width) { return std::setw(static_cast<int>(width + 2)); };
  std::cout << std::left << cell(name_width) << "IMAGE" << cell(platform_width) << "PLATFORM"
            << cell(6) << "BUILDS" << cell(12) << "CACHE HITS" << cell(9) << "LAST" << cell(10)
            << "MEAN BUILD" << cell(10) << "SIZE" << cell(10) << "CHANGE" << "BUDGET\n";
  for (const auto& i : report.images) {
    std::string hits = std::to_string(i.cache_hits) + "/" + std::to_string(i.attempts) + " (" +
                       std::to_string(static_cast<int>(100 * i.hit_rate + 0.5)) + "%)";
    std::string change = i.size_change == 0 ? "0"
                         : i.size_change > 0 ? "+" + HumanBytes(i.size_change)
                                             : "-" + HumanBytes(-i.size_change);
    std::string budget = "-";
    if (i.budget)
      budget = HumanBytes(i.budget->bytes) + " (" + i.budget->tier + ")" +
               (i.over_budget ? " OVER" : "");
    std::cout << cell(name_width) << i.target << cell(platform_width) << i.platform << cell(6)
              << i.history.size() << cell(12) << hits << cell(9) << HumanDuration(i.last_seconds)
              << cell(10)
              << (i.mean_built_seconds > 0 ? HumanDuration(i.mean_built_seconds) : "-")
              << cell(10) << HumanBytes(i.size) << cell(10) << change << budget << "\n";
  }
  const auto& last = report.builds.back();
  std::cout << "\nlast build #" << last.id << ": " << HumanDuration(last.seconds) << ", built "
            << last.built << ", cached " << last.cached << ", failed " << last.failed
            << ", skipped " << last.skipped << "\n";
  std::string path;
  for (const auto& p : report.critical_path) path += (path.empty() ? "" : " -> ") + p;
  std::cout << "critical path: " << path << " (" << HumanDuration(report.critical_seconds)
            << ")\n";
  std::cout << "time per phase:";
  for (const auto& p : report.phases)
    std::cout << "  " << (p.phase < 0 ? "unrecorded" : std::to_string(p.phase)) << ": "
              << HumanDuration(p.seconds);
  std::cout << "\n";
}

int Report(const GlobalOptions& global, const ReportArgs& args) {
  // The records are only read: a store without them has never been built into.
  std::string db_path = global.StorePath() + "/plinth/builds.db";
  struct stat st {};
  if (stat(db_path.c_str(), &st) != 0)
    return ReportError(
        NotFound("no build records in " + global.StorePath() + ": run plinth build first"));
  std::vector<std::string> known;
  auto budgets = Budgets(global, &known);
  if (!budgets) return ReportError(budgets.error());
  auto records = metrics::BuildRecords::Open(db_path);
  if (!records) return ReportError(records.error());
  auto recent = records->Recent(args.last);
  if (!recent) return ReportError(recent.error());
  for (const auto& b : *recent)
    for (const auto& t : b.targets) known.push_back(t.target);
  if (auto checked = CheckTargets(args.targets, known); !checked)
    return ReportError(checked.error());

  metrics::ReportOptions options{{args.targets.begin(), args.targets.end()}, *budgets};
  metrics::BuildReport report = metrics::MakeBuildReport(*recent, options);
  if (!args.html.empty()) {
    std::string page = metrics::RenderReportPage(report, {HumanBytes, HumanDuration});
    if (auto written = WriteFileAtomic(args.html, page); !written)
      return ReportError(written.error().Context("writing the report page"));
  }
  if (args.format == "json") {
    std::cout << DumpJson(metrics::ReportJson(report), 2) << "\n";
    return 0;
  }
  PrintTable(report);
  if (!args.html.empty()) std::cout << "report page: " << args.html << "\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* cmd = app.add_subcommand(
      "report", "Build times, sizes, cache hits and budgets of the recent builds");
  auto args = std::make_shared<ReportArgs>();
  cmd->add_option("TARGET", args->targets, "fleet targets to report on (default: all)");
  cmd->add_option("--last", args->last, "how many of the most recent builds to read (default 10)")
      ->check(CLI::Range(1, 100000));
  AddFormatOption(cmd, &args->format, "text (a table) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--html", args->html,
                  "FILE to write a self-contained HTML page with the report's charts to");
  cmd->callback([&global, args] { global.exit_code = Report(global, *args); });
}

const bool kRegistered = RegisterCommand(45, Setup);

}  // namespace
}  // namespace plinth::cli
