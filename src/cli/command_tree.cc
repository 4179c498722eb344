#include "cli/command_tree.h"

namespace plinth::cli {

void OneValuePerOccurrence(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (!option->get_positional() && option->get_items_expected_max() > 1)
      option->allow_extra_args(false);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    OneValuePerOccurrence(*sub);
}

}  // namespace plinth::cli
