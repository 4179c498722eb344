// Dump: the AST in the text form of BuildKit's parser tests (Node.Dump), one line per
// instruction, so plinth's parse can be compared with BuildKit's line for line:
//   (<keyword lower-cased>[ <flags as Go %q of []string>][ <Go-quoted arg>...])
// ONBUILD prints its trigger as a nested node: (onbuild (run "echo" "test")).
#pragma once

#include <string>
#include <string_view>

#include "dockerfile/ast.h"

namespace plinth::dockerfile {

// Go's strconv.Quote.
std::string GoQuote(std::string_view s);

// One node, without the surrounding parentheses.
std::string DumpNode(const Node& node);

// Every instruction as "(...)\n".
std::string Dump(const Ast& ast);

}  // namespace plinth::dockerfile
