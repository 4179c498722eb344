// `plinth emit github-actions`: the fleet's CI workflow, written from the plan's DAG
// (emit/github_workflow.h).
#include <filesystem>
#include <memory>

#include "cli/emit_command.h"
#include "cli/emit_plan.h"
#include "emit/github_workflow.h"

namespace plinth::cli {
namespace {

struct Args {
  std::string output;
  std::string jobs = "per-target";
  std::string registry;
};

// plinth.yaml relative to the current folder, which the workflow takes as the repository root.
Result<std::string> ManifestInRepository(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return IoError("reading the current folder: " + ec.message());
  fs::path relative = fs::absolute(path, ec).lexically_normal().lexically_relative(cwd);
  if (ec || relative.empty() || *relative.begin() == "..")
    return InvalidInput(path + " is outside the current folder: run `plinth emit github-actions` "
                        "from the root of the repository that holds the fleet");
  return relative.generic_string();
}

int Emit(const GlobalOptions& global, const Args& args) {
  auto layout = emit::ParseJobLayout(args.jobs);
  if (!layout) return ReportError(layout.error());
  auto loaded = LoadEmitPlan(global);
  if (!loaded) return ReportError(loaded.error());
  auto manifest = ManifestInRepository(loaded->fleet.path);
  if (!manifest) return ReportError(manifest.error());
  auto text = emit::GithubWorkflow(loaded->fleet, loaded->graph,
                                   {.jobs = *layout,
                                    .registry = args.registry,
                                    .fleet_file = *manifest,
                                    .plinth_version = PLINTH_VERSION});
  if (!text) return ReportError(text.error());
  return WriteEmitted(*text, args.output);
}

void Setup(CLI::App& emit, GlobalOptions& global) {
  auto* cmd = emit.add_subcommand("github-actions",
                                  "A GitHub Actions workflow building the fleet job by job from the DAG");
  auto args = std::make_shared<Args>();
  cmd->add_option("-o,--output", args->output, "FILE to write (default: stdout)");
  cmd->add_option("--jobs", args->jobs, "per-target (default): a job per image; per-phase: a job per DAG phase");
  cmd->add_option("--registry", args->registry,
                  "HOST every image is pushed to and cached in (build --push-to; default: each "
                  "image's registry in plinth.yaml, build --push)");
  cmd->callback([&global, args] { global.exit_code = Emit(global, *args); });
}

const bool kRegistered = RegisterEmitter(20, Setup);

}  // namespace
}  // namespace plinth::cli
