// `plinth lint [FILE…] [--format text|json|sarif] [--explain CODE]`: the fleet's Dockerfiles
// against its hybrid policy (plinth.yaml in the current folder or -f), or bare Dockerfiles
// with the general rules. Exit 0: clean; 1: findings at the failure threshold; 2: bad input.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "fleet/manifest_loader.h"
#include "lint/linter.h"
#include "lint/report_format.h"
#include "lint/rule.h"

namespace plinth::cli {
namespace {

struct LintArgs {
  std::vector<std::string> files;
  std::string format = "text";
  std::string explain;
};

bool IsManifest(const std::string& path) {
  return path.ends_with("plinth.yaml") || path.ends_with("plinth.yml");
}

int Explain(const std::string& code) {
  const lint::Rule* rule = lint::FindRule(code);
  if (!rule) {
    std::cerr << "plinth: error: no lint rule \"" << code << "\" (try PL101 or DL3006)\n";
    return 2;
  }
  std::cout << lint::ExplainRule(*rule);
  return 0;
}

int Lint(const GlobalOptions& global, const LintArgs& args) {
  if (!args.explain.empty()) return Explain(args.explain);
  auto format = lint::ParseReportFormat(args.format);
  if (!format) return ReportError(InvalidInput("--format: expected text, json or sarif, found \"" + args.format + "\""));
  std::vector<std::string> dockerfiles;
  std::string manifest;
  for (const auto& f : args.files) (IsManifest(f) ? manifest : dockerfiles.emplace_back()) = f;
  if (args.files.empty()) {
    manifest = global.FleetPath();
    if (manifest.empty())
      return ReportError(InvalidInput("no plinth.yaml in this folder: give -f plinth.yaml or Dockerfiles to lint"));
  }
  lint::LintResult all;
  if (!manifest.empty()) {
    auto fleet = fleet::LoadFleet(manifest);
    if (!fleet) return ReportError(fleet.error());
    auto result = lint::LintFleet(*fleet);
    if (!result) return ReportError(result.error());
    all = std::move(*result);
  }
  if (!dockerfiles.empty()) {
    auto result = lint::LintFiles(dockerfiles);
    if (!result) return ReportError(result.error());
    all.failed = all.failed || result->failed;
    all.findings.insert(all.findings.end(), result->findings.begin(), result->findings.end());
  }
  std::cout << lint::FormatReport(*format, all.findings);
  return all.failed ? 1 : 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand("lint", "Check Dockerfiles against the fleet's hybrid policy and hadolint's rules");
  cmd->add_option("files", args->files, "Dockerfiles (general rules) or a plinth.yaml; default: the fleet");
  AddFormatOption(cmd, &args->format, "text, json or sarif")->capture_default_str();
  cmd->add_option("--explain", args->explain, "print a rule's rationale and an example (PL101, DL3006, …)");
  cmd->callback([&global, args] { global.exit_code = Lint(global, *args); });
}

const bool kRegistered = RegisterCommand(20, Setup);

}  // namespace
}  // namespace plinth::cli
