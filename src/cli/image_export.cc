// `plinth image export REF --format oci-archive|docker-archive -o FILE`.
#include <iostream>

#include "cli/command.h"
#include "cli/image_commands.h"
#include "oci/archive_export.h"

namespace plinth::cli {
namespace {

struct ExportArgs {
  std::string name;
  std::string format = "oci-archive";
  std::string output;
  std::string platform;
};

int Export(const GlobalOptions& global, const ExportArgs& args) {
  auto format = oci::ParseArchiveFormat(args.format);
  if (!format) return ReportError(format.error());
  oci::ExportOptions options{.format = *format, .name = args.name, .platform = oci::Platform::Host()};
  if (!args.platform.empty()) {
    auto platform = oci::Platform::Parse(args.platform);
    if (!platform) return ReportError(platform.error());
    options.platform = *platform;
  }
  auto store = oci::LayoutStore::OpenExisting(global.StorePath());
  if (!store) return ReportError(store.error());
  auto status = oci::ExportArchive(*store, options, args.output);
  if (!status) return ReportError(status.error());
  std::cout << "exported " << args.name << " to " << args.output << " (" << args.format << ")\n";
  return 0;
}

}  // namespace

void SetupImageExport(CLI::App& image, GlobalOptions& global) {
  auto* cmd = image.add_subcommand("export", "Write an image to an oci-archive or docker-archive tar");
  auto args = std::make_shared<ExportArgs>();
  cmd->add_option("REF", args->name, "image name in the store")->required();
  cmd->add_option("--format", args->format, "oci-archive or docker-archive");
  cmd->add_option("-o,--output", args->output, "the archive to write")->required();
  cmd->add_option("--platform", args->platform, "for docker-archive of a multi-platform image");
  cmd->callback([&global, args] { global.exit_code = Export(global, *args); });
}

}  // namespace plinth::cli
