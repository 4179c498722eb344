// The per-instruction argument splitters of BuildKit's parser (line_parsers.go), internal to
// the parser: given an instruction line they fill a Node's keyword, flags and arguments.
// Each keeps BuildKit's quirks, because the dump must match BuildKit's byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ast.h"
#include "util/result.h"

namespace plinth::dockerfile {

// Splits a logical line into keyword, flags and arguments (BuildKit's newNodeFromLine).
// Errors carry no location; the parser adds it.
Status ParseInstructionLine(std::string_view line, char escape_token, Node* node);

// `--flag` words at the start of `line`; returns the rest (BuildKit's extractBuilderFlags).
std::string_view ExtractBuilderFlags(std::string_view line, std::vector<std::string>* flags);

// Words honouring quotes and the escape token, both kept in the text (parseWords).
std::vector<std::string> ParseWords(std::string_view rest, char escape_token);

}  // namespace plinth::dockerfile
