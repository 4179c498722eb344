#include "cli/command_tree.h"

#include <string>
#include <vector>

#include "fleet/problem_list.h"

namespace plinth::cli {
namespace {

std::vector<CLI::App*> NamedSubcommands(CLI::App& app) {
  return app.get_subcommands(
      [](CLI::App* sub) { return !sub->get_name().empty() && !sub->get_disabled(); });
}

void Describe(CLI::App& app, const std::string& path, std::vector<CommandInfo>& out) {
  CommandInfo info{.path = path, .description = app.get_description()};
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional()) continue;
    OptionInfo o{.takes_value = option->get_items_expected_max() > 0,
                 .description = option->get_description()};
    for (const auto& s : option->get_snames()) o.names.push_back("-" + s);
    for (const auto& l : option->get_lnames()) o.names.push_back("--" + l);
    if (!o.names.empty()) info.options.push_back(std::move(o));
  }
  auto subcommands = NamedSubcommands(app);
  for (CLI::App* sub : subcommands) info.subcommands.push_back(sub->get_name());
  out.push_back(std::move(info));
  for (CLI::App* sub : subcommands)
    Describe(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

}  // namespace

void OneValuePerOccurrence(CLI::App& app) {
  for (CLI::Option* option : app.get_options())
    if (!option->get_positional() && option->get_items_expected_max() > 1)
      option->allow_extra_args(false);
  for (CLI::App* sub : NamedSubcommands(app)) OneValuePerOccurrence(*sub);
}

std::optional<Error> UnknownCommand(CLI::App& app, const CLI::ParseError& error) {
  // The deepest command the words named ("store" in `plinth store lss`), and its path.
  CLI::App* group = &app;
  std::string path;
  for (auto parsed = group->get_subcommands(); !parsed.empty(); parsed = group->get_subcommands()) {
    group = parsed.front();
    path += group->get_name() + " ";
  }
  std::vector<std::string> names;
  for (CLI::App* sub : NamedSubcommands(*group)) names.push_back(sub->get_name());
  if (names.empty()) return std::nullopt;  // a leaf command: its own arguments are wrong
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
  std::string owner = path.empty() ? "plinth" : "plinth " + path.substr(0, path.size() - 1);
  std::string kind = path.empty() ? "command" : "subcommand";
  // The first word no option or command took stood where the command belongs.
  std::string word;
  for (const auto& w : app.remaining(/*recurse=*/true))
    if (!w.empty() && w[0] != '-') {
      word = w;
      break;
    }
  if (word.empty()) {
    // No word at all where one is required (`plinth store`): say which ones there are. Other
    // errors (an option without its value) keep their own message.
    if (dynamic_cast<const CLI::RequiredError*>(&error) == nullptr) return std::nullopt;
    return InvalidInput("'" + owner + "' needs a " + kind + ": " + list);
  }
  std::string message = "unknown command '" + path + word + "'";
  if (std::string near = fleet::DidYouMean(word, names); !near.empty())
    return InvalidInput(message + " (did you mean '" + path + near + "'?)");
  return InvalidInput(message + "; the " + kind + "s of '" + owner + "' are " + list);
}

std::vector<CommandInfo> DescribeCommands(CLI::App& root) {
  std::vector<CommandInfo> out;
  Describe(root, "", out);
  return out;
}

}  // namespace plinth::cli
