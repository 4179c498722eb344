// `plinth lint [FILE…] [--format FORMAT] [--explain CODE] [hadolint's flags]`: the fleet's
// Dockerfiles against its hybrid policy (plinth.yaml in the current folder or -f), or bare
// Dockerfiles with the general rules. hadolint's configuration applies (.hadolint.yaml, the
// HADOLINT_* variables) and its flags win over both: --config, --ignore, --trusted-registry,
// --require-label, --strict-labels, --disable-ignore-pragma, --failure-threshold, --no-fail,
// --no-color. ShellCheck checks every RUN (`shellcheck`, one process per Dockerfile) unless
// --no-shellcheck. The format is --format, else HADOLINT_FORMAT or the config's `format`, else
// text. Exit 0: clean; 1: findings at the failure threshold; 2: bad input.
//
// --fix applies the mechanical fixes (lint/fixer.h) to the findings reported, in place and
// atomically, says on stderr what it fixed and what it left (and why), then lints again: the
// report and the exit code are the second lint's. PL107's digest comes from the store (as
// `plinth build` finds it: --store, $PLINTH_STORE, .plinth/store next to plinth.yaml), else
// from the image's registry (plinth.yaml's mirrors; --insecure HOST for plain http).
// --fix --dry-run prints the fixes as a unified diff (`git apply` / `patch -p1` take it) and
// writes nothing; exit 1 when there is something to fix, else the lint's exit code.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "cli/command.h"
#include "cli/terminal.h"
#include "fleet/manifest_loader.h"
#include "lint/fixer.h"
#include "lint/linter.h"
#include "lint/migration.h"
#include "lint/report_format.h"
#include "lint/rule.h"
#include "oci/media_types.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "registry/registry_context.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::cli {
namespace {

struct LintArgs {
  std::vector<std::string> files;
  std::string format;
  std::string explain;
  std::string config;
  std::vector<std::string> ignore, trusted_registries, require_labels;
  std::string failure_threshold;
  bool strict_labels = false, disable_ignore_pragma = false, no_fail = false, no_color = false;
  bool no_shellcheck = false;
  bool fix = false, dry_run = false;
  std::vector<std::string> insecure;
};

bool IsManifest(const std::string& path) {
  return path.ends_with("plinth.yaml") || path.ends_with("plinth.yml");
}

// A ShellCheck code (SC2086) is explained by PL320's text and ShellCheck's page for it.
bool IsShellcheckCode(const std::string& code) {
  return code.size() > 2 && (code[0] == 'S' || code[0] == 's') &&
         (code[1] == 'C' || code[1] == 'c') &&
         code.find_first_not_of("0123456789", 2) == std::string::npos;
}

int Explain(const std::string& code) {
  if (IsShellcheckCode(code)) {
    std::cout << lint::ExplainRule(*lint::FindRule("PL320")) << "\n"
              << "SC" << code.substr(2) << ": see https://www.shellcheck.net/wiki/SC"
              << code.substr(2) << "\n";
    return 0;
  }
  const lint::Rule* rule = lint::FindRule(code);
  if (!rule) {
    std::cerr << "plinth: error: no lint rule \"" << code << "\" (try PL101 or DL3006)\n";
    return 2;
  }
  std::cout << lint::ExplainRule(*rule);
  return 0;
}

// The command line's part of the configuration, checked before anything is read.
Result<std::function<void(lint::LintConfig&)>> Amendment(const LintArgs& args) {
  std::optional<lint::Severity> threshold;
  if (!args.failure_threshold.empty()) {
    threshold = lint::ParseSeverity(args.failure_threshold);
    if (!threshold)
      return InvalidInput(
          "--failure-threshold: expected error, warning, info, style, ignore or none, found \"" +
          args.failure_threshold + "\"");
  }
  std::map<std::string, lint::LabelType> labels;
  for (const auto& item : args.require_labels) {
    auto colon = item.find(':');
    auto type =
        colon == std::string::npos ? std::nullopt : lint::ParseLabelType(item.substr(colon + 1));
    if (!type)
      return InvalidInput(
          "--require-label: expected label:type (text, url, hash, rfc3339, semver, spdx or "
          "email), found \"" +
          item + "\"");
    labels[item.substr(0, colon)] = *type;
  }
  return std::function<void(lint::LintConfig&)>([args, threshold, labels](lint::LintConfig& c) {
    c.ignored.insert(args.ignore.begin(), args.ignore.end());
    c.trusted_registries.insert(c.trusted_registries.end(), args.trusted_registries.begin(),
                                args.trusted_registries.end());
    for (const auto& [k, v] : labels) c.label_schema[k] = v;
    if (threshold) c.failure_threshold = *threshold;
    c.strict_labels = c.strict_labels || args.strict_labels;
    c.disable_ignore_pragma = c.disable_ignore_pragma || args.disable_ignore_pragma;
    c.no_fail = c.no_fail || args.no_fail;
    c.no_color = c.no_color || args.no_color;
  });
}

Result<lint::LintResult> RunLint(const fleet::Fleet* fleet,
                                 const std::vector<std::string>& dockerfiles,
                                 const lint::LintOptions& options) {
  lint::LintResult all;
  if (fleet) {
    PLINTH_TRY(all, lint::LintFleet(*fleet, options));
  }
  if (!dockerfiles.empty()) {
    PLINTH_TRY(auto result, lint::LintFiles(dockerfiles, options));
    all.failed = all.failed || result.failed;
    all.findings.insert(all.findings.end(), result.findings.begin(), result.findings.end());
  }
  return all;
}

// PL107's digests: the store's entry for the image's familiar name, else a HEAD of the tag in
// its registry. The registry context is made on first use: most runs never need it.
class DigestLookup {
 public:
  DigestLookup(const GlobalOptions& global, const fleet::Fleet* fleet,
               std::vector<std::string> insecure)
      : store_dir_(global.StorePath()), fleet_(fleet), insecure_(std::move(insecure)) {}

  Result<std::string> operator()(const std::string& image) {
    auto ref = oci::Reference::Parse(image);
    if (!ref) return ref.error();
    std::string store_note;
    if (IsDirectory(store_dir_)) {
      if (auto store = oci::LayoutStore::OpenExisting(store_dir_)) {
        if (auto entry = store->Resolve(ref->Familiar())) {
          store_note = CoversFleetPlatforms(*store, *entry);
          if (store_note.empty()) return entry->digest.str();
        }
      }
    }
    if (!registries_) {
      registry::RegistryHosts hosts;
      if (fleet_) {
        for (const auto& [host, mirrors] : fleet_->mirrors) {
          registry::RegistryConfig config;
          config.mirrors = mirrors;
          hosts.Set(host, config);
        }
      }
      registries_ = std::make_unique<registry::RegistryContext>(std::move(hosts));
      for (const auto& host : insecure_) registries_->hosts().AllowPlainHttp(host);
    }
    auto found = registries_->Client(ref->domain()).StatManifest(ref->path(), ref->tag());
    if (!found) return store_note.empty() ? found.error() : found.error().Context(store_note);
    if (!*found)
      return NotFound((store_note.empty() ? "neither the store nor " : store_note + ", and not ") +
                      ref->domain() + " has " + ref->Familiar());
    return (*found)->digest.str();
  }

 private:
  // "" when the store's entry serves every platform the fleet builds (a pin to one platform's
  // manifest would break the others' builds); else why the registry is asked instead.
  std::string CoversFleetPlatforms(const oci::LayoutStore& store,
                                   const oci::Descriptor& entry) const {
    if (!fleet_ || fleet_->platforms.size() <= 1) return "";
    if (!oci::IsIndexType(entry.media_type)) return "the store holds one platform of it";
    for (const auto& name : fleet_->platforms) {
      auto platform = oci::Platform::Parse(name);
      if (platform && !store.SelectPlatform(entry, *platform))
        return "the store holds no " + name + " of it";
    }
    return "";
  }

  std::string store_dir_;
  const fleet::Fleet* fleet_;
  std::vector<std::string> insecure_;
  std::unique_ptr<registry::RegistryContext> registries_;
};

// The name a diff gives a file: relative to the current folder when it is inside it.
std::string DiffName(const std::string& path) {
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  auto absolute = std::filesystem::absolute(path, ec).lexically_normal();
  auto relative = absolute.lexically_relative(cwd);
  if (ec || relative.empty() || relative.begin()->string() == "..") return path;
  return relative.string();
}

// Fixes the files the findings are in; whether anything changed (or would, under --dry-run).
Result<bool> Fix(const GlobalOptions& global, const LintArgs& args, const fleet::Fleet* fleet,
                 const std::vector<lint::Finding>& findings) {
  std::map<std::string, std::vector<lint::Finding>> by_file;
  for (const auto& f : findings)
    if (lint::HasFix(f)) by_file[f.location.file].push_back(f);
  DigestLookup lookup(global, fleet, args.insecure);
  lint::DigestResolver resolve = [&lookup](const std::string& image) { return lookup(image); };
  bool changed = false;
  for (const auto& [path, file_findings] : by_file) {
    auto content = ReadFile(path);
    if (!content) return content.error().Context("reading Dockerfile " + path);
    PLINTH_TRY(auto config, args.config.empty() ? lint::LoadLintConfigFor(path)
                                                : lint::LoadLintConfigFile(args.config));
    PLINTH_TRY(auto amend, Amendment(args));
    amend(config);
    PLINTH_TRY(auto fix, lint::FixDockerfileFully(*content, path, file_findings, config, resolve));
    for (const auto& n : fix.applied)
      std::cerr << (args.dry_run ? "would fix " : "fixed ") << n.where.ToString() << " [" << n.code
                << "] " << n.text << "\n";
    for (const auto& n : fix.skipped)
      std::cerr << "plinth: not fixed: " << n.where.ToString() << " [" << n.code << "] " << n.text
                << "\n";
    if (!fix.changed()) continue;
    changed = true;
    if (args.dry_run) {
      std::string name = DiffName(path);
      std::cout << lint::UnifiedDiff(fix.before, fix.after, "a/" + name, "b/" + name);
      continue;
    }
    // A Dockerfile that is a symlink stays one: its target is rewritten, with its mode.
    std::error_code ec;
    std::string target = std::filesystem::canonical(path, ec).string();
    if (ec) target = path;
    struct stat st {};
    int mode = ::stat(target.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : 0644;
    auto written = WriteFileAtomic(target, fix.after, mode);
    if (!written) return written.error().Context("writing the fixed " + path);
  }
  return changed;
}

int Lint(const GlobalOptions& global, const LintArgs& args) {
  if (!args.explain.empty()) return Explain(args.explain);
  auto amend = Amendment(args);
  if (!amend) return ReportError(amend.error());
  lint::LintOptions options;
  options.config_file = args.config;
  options.amend_config = *amend;
  options.shellcheck = args.no_shellcheck ? "" : "shellcheck";

  std::vector<std::string> dockerfiles;
  std::string manifest;
  for (const auto& f : args.files) (IsManifest(f) ? manifest : dockerfiles.emplace_back()) = f;
  if (args.files.empty()) {
    manifest = global.FleetPath();
    if (manifest.empty())
      return ReportError(InvalidInput(
          "no plinth.yaml in this folder: give -f plinth.yaml or Dockerfiles to lint"));
  }
  // The configuration that decides the output: the first file's (formats are per run).
  std::string anchor = dockerfiles.empty() ? manifest : dockerfiles.front();
  auto anchor_config =
      args.config.empty() ? lint::LoadLintConfigFor(anchor) : lint::LoadLintConfigFile(args.config);
  if (!anchor_config) return ReportError(anchor_config.error());
  options.amend_config(*anchor_config);
  std::string format_name = !args.format.empty()             ? args.format
                            : !anchor_config->format.empty() ? anchor_config->format
                                                             : "text";
  auto format = lint::ParseReportFormat(format_name);
  if (!format)
    return ReportError(InvalidInput("--format: expected " + lint::ReportFormatNames() +
                                    ", found \"" + format_name + "\""));

  std::optional<fleet::Fleet> fleet;
  if (!manifest.empty()) {
    auto loaded = fleet::LoadFleet(manifest);
    if (!loaded) return ReportError(loaded.error());
    fleet = std::move(*loaded);
  }
  auto all = RunLint(fleet ? &*fleet : nullptr, dockerfiles, options);
  if (!all) return ReportError(all.error());
  if (args.fix) {
    auto fixed = Fix(global, args, fleet ? &*fleet : nullptr, all->findings);
    if (!fixed) return ReportError(fixed.error());
    if (args.dry_run) return *fixed ? 1 : all->failed ? 1 : 0;
    all = RunLint(fleet ? &*fleet : nullptr, dockerfiles, options);
    if (!all) return ReportError(all.error());
  }
  lint::FormatOptions format_options;
  format_options.colour = TerminalAbilitiesOf(STDOUT_FILENO).colour && !anchor_config->no_color;
  std::cout << lint::FormatReport(*format, all->findings, format_options);
  return all->failed ? 1 : 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand(
      "lint", "Check Dockerfiles against the fleet's hybrid policy and hadolint's rules");
  cmd->add_option("files", args->files,
                  "Dockerfiles (general rules) or a plinth.yaml; default: the fleet");
  AddFormatOption(
      cmd, &args->format,
      "text, json, sarif, checkstyle, gitlab_codeclimate, codeclimate, gnu or tty (default: "
      "HADOLINT_FORMAT, "
      "the config's format, else text)");
  cmd->add_option("--explain", args->explain,
                  "print a rule's rationale and an example (PL101, DL3006, …)");
  cmd->add_option("--config", args->config,
                  "hadolint configuration file instead of the .hadolint.yaml found");
  cmd->add_option("--ignore", args->ignore, "a rule never to report (repeatable)");
  cmd->add_option("--trusted-registry", args->trusted_registries,
                  "a registry DL3026 allows (repeatable)");
  cmd->add_option("--require-label", args->require_labels,
                  "LABEL:TYPE the label schema requires (repeatable)");
  cmd->add_option(
      "--failure-threshold,-t", args->failure_threshold,
      "error, warning, info, style, ignore or none: the least severity that makes the exit code 1");
  cmd->add_flag("--strict-labels", args->strict_labels,
                "report labels outside the label schema (DL3050)");
  cmd->add_flag("--disable-ignore-pragma", args->disable_ignore_pragma,
                "do not honour `# hadolint ignore=` comments");
  cmd->add_flag("--no-fail", args->no_fail, "exit 0 whatever is found");
  cmd->add_flag("--no-color", args->no_color, "no colour in the tty format");
  cmd->add_flag("--no-shellcheck", args->no_shellcheck, "do not run ShellCheck on RUN commands");
  cmd->add_flag("--fix", args->fix,
                "apply the mechanical fixes (DL3025, DL4000, DL3020, DL3027, DL3047, DL3015, "
                "PL107) in place, "
                "then lint again");
  auto* dry_run = cmd->add_flag("--dry-run", args->dry_run,
                                "with --fix: print the fixes as a unified diff, write nothing");
  cmd->add_option(
      "--insecure", args->insecure,
      "REGISTRY (host:port) to reach over plain http for --fix's PL107 digests (repeatable)");
  dry_run->needs(cmd->get_option("--fix"));
  cmd->callback([&global, args] { global.exit_code = Lint(global, *args); });
}

const bool kRegistered = RegisterCommand(20, Setup);

}  // namespace
}  // namespace plinth::cli
