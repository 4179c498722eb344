#include "cli/registry_flags.h"

namespace plinth::cli {

void AddRegistryFlags(CLI::App* cmd, RegistryFlags& flags, const std::string& whose) {
  cmd->add_flag("--insecure", flags.insecure, "plain http to " + whose + " (only that one)");
  cmd->add_option("--ca-file", flags.ca_file, "PEM CA bundle to trust for " + whose);
  cmd->add_option("-j,--jobs", flags.jobs, "parallel blob transfers")->check(CLI::Range(1, 64));
}

void ApplyRegistryFlags(const RegistryFlags& flags, const std::string& registry,
                        registry::RegistryHosts& hosts) {
  registry::RegistryConfig config = hosts.For(registry);
  if (flags.insecure) config.transport = registry::Transport::kPlainHttp;
  if (!flags.ca_file.empty()) config.ca_file = flags.ca_file;
  hosts.Set(registry, config);
}

}  // namespace plinth::cli
