// Parser: Dockerfile text → Ast, exactly as BuildKit's frontend/dockerfile/parser reads it.
//
// Lexical grammar (BuildKit's, which this reproduces, quirks included):
//   file        = [BOM] directive* line*
//   directive   = "#" ws* name ws* "=" ws* value      only in the leading block of # lines;
//                 name ∈ {syntax, escape, check}, case-insensitive, each at most once
//   line        = ws* ( comment | instruction | blank )
//   instruction = keyword [ws+ flag* args] (escape ws* NL continuation)*  then heredoc bodies
//   continuation lines: comment lines and blank lines inside are skipped; leading whitespace
//                 is kept; the escape token and trailing blanks are removed, nothing inserted.
//   heredoc     = body lines up to a line equal to the terminator (RUN/COPY/ADD, shell form)
// Lines longer than 65535 bytes, an empty file, a repeated directive, an invalid escape token,
// a JSON array of non-strings, ENV/LABEL without a value and unterminated heredocs are errors.
// Unknown instruction keywords are *not* errors here (see instructions.h).
#pragma once

#include <string>
#include <string_view>

#include "dockerfile/ast.h"
#include "util/result.h"

namespace plinth::dockerfile {

// `file` is used in error locations only. Errors are `FILE:LINE:COL: message`.
Result<Ast> Parse(std::string_view content, const std::string& file);

// Reads and parses a file.
Result<Ast> ParseFile(const std::string& path);

}  // namespace plinth::dockerfile
