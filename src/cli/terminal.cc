#include "cli/terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace plinth::cli {

TerminalAbilities TerminalAbilitiesFor(bool is_terminal, const char* term, const char* no_color) {
  TerminalAbilities abilities;
  abilities.moves_cursor = term == nullptr || std::string_view(term) != "dumb";
  bool colour_refused = no_color != nullptr && *no_color != '\0';
  abilities.colour = is_terminal && abilities.moves_cursor && !colour_refused;
  return abilities;
}

TerminalAbilities TerminalAbilitiesOf(int fd) {
  return TerminalAbilitiesFor(isatty(fd) == 1, std::getenv("TERM"), std::getenv("NO_COLOR"));
}

}  // namespace plinth::cli
