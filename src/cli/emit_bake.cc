// `plinth emit bake`: docker-bake.json for `docker buildx bake`, from the plan
// (emit/bake_file.h).
#include <memory>

#include "cli/emit_command.h"
#include "cli/emit_plan.h"
#include "cli/format.h"
#include "emit/bake_file.h"

namespace plinth::cli {
namespace {

struct Args {
  std::string output;
  std::string registry;
};

int Emit(const GlobalOptions& global, const Args& args) {
  auto loaded = LoadEmitPlan(global);
  if (!loaded) return ReportError(loaded.error());
  auto bake = emit::BakeFile(loaded->fleet, loaded->plan, loaded->graph, {.registry = args.registry});
  if (!bake) return ReportError(bake.error());
  return WriteEmitted(DumpJson(*bake, 2) + "\n", args.output);
}

void Setup(CLI::App& emit, GlobalOptions& global) {
  auto* cmd = emit.add_subcommand("bake", "docker-bake.json: a buildx bake target per image, a group per phase");
  auto args = std::make_shared<Args>();
  cmd->add_option("-o,--output", args->output, "FILE to write (default: stdout)");
  cmd->add_option("--registry", args->registry,
                  "HOST to keep BuildKit's cache in (cache-from/cache-to type=registry)");
  cmd->callback([&global, args] { global.exit_code = Emit(global, *args); });
}

const bool kRegistered = RegisterEmitter(30, Setup);

}  // namespace
}  // namespace plinth::cli
