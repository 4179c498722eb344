// What plinth may send to a terminal: cursor movement (the live build view) and colour.
// TERM=dumb terminals (an editor's shell buffer, some CI log viewers) cannot move the cursor;
// colour goes only to a terminal, and never when NO_COLOR is set (https://no-color.org).
#pragma once

namespace plinth::cli {

struct TerminalAbilities {
  bool moves_cursor = false;  // ANSI cursor-up and clear-line codes are understood
  bool colour = false;        // ANSI colour codes are wanted
};

// The decision itself, from whether the output is a terminal, $TERM and $NO_COLOR (either may
// be null): cursor movement unless TERM is "dumb"; colour only on a terminal that moves the
// cursor, and not when NO_COLOR is set to a non-empty value.
TerminalAbilities TerminalAbilitiesFor(bool is_terminal, const char* term, const char* no_color);

// The same for file descriptor `fd` and this process's environment.
TerminalAbilities TerminalAbilitiesOf(int fd);

}  // namespace plinth::cli
