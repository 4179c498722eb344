// Here-document recognition, as BuildKit does it: a word `[N]<<[-]WORD` (WORD quoted in any
// part disables expansion; `<<-` strips leading tabs when used; N is a file descriptor). A bare
// `<<` / `<<-` takes the next word as its terminator (`RUN <<  EOF`). Only the instruction
// keyword decides whether heredocs are looked for (RUN, COPY, ADD; see parser.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ast.h"
#include "util/result.h"

namespace plinth::dockerfile {

// One word: a heredoc, std::nullopt if the word is not one, or an error (unbalanced quotes).
Result<std::optional<Heredoc>> ParseHeredoc(std::string_view word);

// Every heredoc started on an instruction line, in order (bodies empty).
Result<std::vector<Heredoc>> HeredocsFromLine(std::string_view line);

// The body of a `<<-` heredoc as the shell sees it: leading tabs removed from every line.
std::string ChompHeredocContent(std::string_view content);

}  // namespace plinth::dockerfile
