// `plinth emit compose [SERVICE…] [-o FILE] [--platform P] [--only-built]`: the fleet as a
// compose file (emit/compose_file.h). --only-built keeps the services whose image for the
// platform is in the store, so that `podman-compose up` runs what this machine could build.
#include <algorithm>
#include <iostream>

#include "cli/emit_command.h"
#include "cli/fleet_session.h"
#include "emit/compose_file.h"
#include "util/atomic_file.h"

namespace plinth::cli {
namespace {

struct ComposeArgs {
  std::vector<std::string> services;
  std::string output;  // empty: stdout
  std::string platform;
  bool only_built = false;
};

// Keeps the services (of those asked for, or all) whose image for the platform is in the
// store; the others are named in the file's header.
Status KeepBuiltServices(const GlobalOptions& global, const fleet::Fleet& fleet,
                         emit::ComposeOptions& options) {
  PLINTH_TRY(auto store, oci::LayoutStore::OpenExisting(global.StorePath()));
  std::vector<std::string> built;
  for (const auto& s : fleet.services) {
    if (!options.services.empty() &&
        std::find(options.services.begin(), options.services.end(), s.name) == options.services.end())
      continue;
    auto image = fleet.ImageFor(s, options.platform);
    if (image && store.Resolve(*image)) built.push_back(s.name);
    else if (image && fleet.BuiltFor(s, *oci::Platform::Parse(options.platform)))
      options.left_out.emplace_back(s.name, *image + " is not in the store");
  }
  if (built.empty())
    return NotFound("--only-built: no service's image for " + options.platform + " is in " +
                    global.StorePath() + "; run `plinth build` first");
  options.services = built;
  return Ok{};
}

Status EmitCompose(const GlobalOptions& global, const ComposeArgs& args) {
  PLINTH_TRY(auto fleet, LoadSessionFleet(global));
  emit::ComposeOptions options{.platform = args.platform, .services = args.services};
  if (options.platform.empty()) options.platform = oci::Platform::Host().str();
  PLINTH_TRY(auto platform, oci::Platform::Parse(options.platform));
  options.platform = platform.str();
  if (args.only_built) PLINTH_CHECK(KeepBuiltServices(global, fleet, options));
  PLINTH_TRY(auto text, emit::ComposeFile(fleet, options));
  if (args.output.empty() || args.output == "-") {
    std::cout << text;
    return Ok{};
  }
  return WriteFileAtomic(args.output, text);
}

void Setup(CLI::App& emit, GlobalOptions& global) {
  auto* cmd = emit.add_subcommand("compose", "A compose file for the fleet's services (Compose Specification)");
  auto args = std::make_shared<ComposeArgs>();
  cmd->add_option("SERVICE", args->services, "only these services (default: all)");
  cmd->add_option("-o,--output", args->output, "the file to write (default: stdout)");
  cmd->add_option("--platform", args->platform, "the images' platform (default: this machine's)");
  cmd->add_flag("--only-built", args->only_built,
                "only the services whose image for the platform is in the store");
  cmd->callback([&global, args] {
    auto status = EmitCompose(global, *args);
    global.exit_code = status ? 0 : ReportError(status.error());
  });
}

const bool kRegistered = RegisterEmitter(10, Setup);

}  // namespace
}  // namespace plinth::cli
