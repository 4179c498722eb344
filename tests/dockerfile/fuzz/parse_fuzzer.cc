// libFuzzer target for the Dockerfile frontend: any bytes go through the parser, the dump,
// the typed instruction layer and the stage graph, and through ShellLex (.dockerignore files
// have their own target, dockerignore_fuzzer.cc).
// Nothing may crash, leak, overflow or hit undefined behaviour; errors are fine.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dockerfile/dump.h"
#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/report.h"
#include "dockerfile/shell_lex.h"
#include "dockerfile/stage_graph.h"

using namespace plinth::dockerfile;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto ast = Parse(input, "Dockerfile");
  if (ast) {
    std::string dump = Dump(*ast);
    if (dump.empty()) __builtin_trap();  // a parsed file has at least one instruction
    (void)AstToJson(*ast).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    StageGraphOptions options;
    options.build_platform = BuildPlatform{};
    options.build_args = {{"A", "1"}};
    if (auto graph = BuildStageGraph(*ast, options)) {
      (void)StageGraphToText(*graph);
      for (const Stage& s : graph->stages()) (void)graph->Closure(s.index);
    }
  }

  // Expansion on the first line, with and without raw modes.
  std::string_view line = input.substr(0, std::min<size_t>(input.find('\n'), 512));
  VarMap env{{"A", "abc/def.tar.gz"}, {"EMPTY", ""}};
  (void)ShellLex().ProcessWords(line, env);
  ShellLexOptions raw;
  raw.raw_quotes = raw.raw_escapes = raw.skip_unset_env = true;
  raw.escape_token = (size & 1) ? '`' : '\\';
  (void)ShellLex(raw).Process(line, env);
  return 0;
}
