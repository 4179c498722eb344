#include "lint/shellcheck_runner.h"

#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "lint/suppressions.h"
#include "util/ascii.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::lint {
namespace {

using dockerfile::CommandForm;
using dockerfile::Instruction;
using dockerfile::InstructionKind;

// Sourced files are not in the build context; ShellCheck cannot follow them.
const char* const kExcluded = "SC1090,SC1091";
constexpr size_t kMaxOutputBytes = 64 << 20;
constexpr size_t kMaxScriptsPerProcess = 512;

// ShellCheck's dialect for a shell program, "" when ShellCheck does not check that shell.
std::string DialectOf(const std::string& program) {
  std::string name = AsciiLower(program);
  auto slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (name == "sh" || name == "ash" || name == "busybox") return "sh";
  if (name == "dash") return "dash";
  if (name == "bash") return "bash";
  if (name == "ksh" || name == "mksh") return "ksh";
  return "";
}

// The dialect a `#!` line names ("#!/usr/bin/env bash", "#!/bin/sh -e"), "" if not a shell.
std::string DialectOfShebang(const std::string& line) {
  std::string rest = line.substr(2);
  std::vector<std::string> words;
  size_t at = 0;
  while (at < rest.size()) {
    size_t start = rest.find_first_not_of(" \t", at);
    if (start == std::string::npos) break;
    size_t end = rest.find_first_of(" \t", start);
    if (end == std::string::npos) end = rest.size();
    words.push_back(rest.substr(start, end - start));
    at = end;
  }
  if (words.empty()) return "";
  if (words[0].ends_with("/env") && words.size() > 1) return DialectOf(words[1]);
  return DialectOf(words[0]);
}

std::vector<std::string> SplitLines(const std::string& content) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < content.size()) {
    size_t nl = content.find('\n', start);
    if (nl == std::string::npos) nl = content.size();
    lines.push_back(content.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

bool EndsWithBackslash(const std::string& line) {
  size_t end = line.find_last_not_of(" \t\r");
  return end != std::string::npos && line[end] == '\\';
}

// Lines `first`..`last` (1-based) of the file with the keyword at `column` and its flags blanked.
std::string RunBody(const std::vector<std::string>& lines, int first, int last, int column) {
  std::string body;
  for (int n = first; n <= last && n <= static_cast<int>(lines.size()); ++n) {
    body += lines[n - 1];
    body += '\n';
  }
  // Blank "RUN" and every `--flag`, across continuations.
  size_t at = static_cast<size_t>(std::max(column, 1) - 1);
  auto blank = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && i < body.size(); ++i)
      if (body[i] != '\n') body[i] = ' ';
  };
  blank(0, at);  // indentation stays blank
  blank(at, at + 3);
  at += 3;
  for (;;) {
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (at + 1 < body.size() && body[at] == '\\' && body[at + 1] == '\n') {
      body[at] = ' ';
      at += 2;
      continue;
    }
    if (at + 1 < body.size() && body[at] == '-' && body[at + 1] == '-') {
      size_t end = body.find_first_of(" \t\n", at);
      if (end == std::string::npos) end = body.size();
      blank(at, end);
      at = end;
      continue;
    }
    break;
  }
  // Comment and empty lines inside a continuation: BuildKit drops them; keep the line count.
  std::vector<std::string> out = SplitLines(body);
  std::string result;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0 && EndsWithBackslash(out[i - 1])) {
      size_t first_char = out[i].find_first_not_of(" \t\r");
      if (first_char == std::string::npos || out[i][first_char] == '#') out[i] = "\\";
    }
    result += out[i] + "\n";
  }
  return result;
}

struct ShellState {
  std::string dialect = "sh";
  int line = 0;  // where it was set
};

}  // namespace

std::vector<ShellcheckScript> ShellcheckScripts(const DockerfileView& view) {
  std::vector<ShellcheckScript> scripts;
  if (view.ast.escape_token != '\\') return scripts;
  std::vector<std::string> lines = SplitLines(view.content);
  // Pragmas by line, to compare with the stage's SHELL: the later one wins.
  std::vector<std::pair<int, std::string>> pragmas;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string t = lines[i];
    size_t a = t.find_first_not_of(" \t");
    if (a == std::string::npos || t[a] != '#') continue;
    if (std::string s = ParseShellPragma(t); !s.empty())
      pragmas.push_back({static_cast<int>(i) + 1, s});
  }
  std::vector<std::set<std::string>> names_by_stage(view.stages.size());
  std::vector<ShellState> shell_by_stage(view.stages.size());
  for (const auto& stage : view.stages) {
    std::set<std::string> names;
    ShellState shell;
    if (stage.parent >= 0) {
      names = names_by_stage[stage.parent];
      shell = shell_by_stage[stage.parent];
    }
    if (!stage.from)
      for (const auto& arg : view.global_args)
        for (const auto& kv : arg.pairs) names.insert(kv.key);
    for (const auto& ins : stage.instructions) {
      if (ins.kind == InstructionKind::kArg || ins.kind == InstructionKind::kEnv) {
        for (const auto& kv : ins.pairs) names.insert(kv.key);
      } else if (ins.kind == InstructionKind::kShell && !ins.command.args.empty()) {
        shell = {DialectOf(ins.command.args[0]), ins.location.line};
      } else if (ins.kind == InstructionKind::kRun && ins.command.form == CommandForm::kShell &&
                 !ins.command.args.empty()) {
        std::string dialect = shell.dialect;
        for (const auto& [line, name] : pragmas)
          if (line < ins.location.line && line > shell.line) dialect = DialectOf(name);
        ShellcheckScript script;
        script.run = ins.location;
        std::string command = ins.command.args[0];
        size_t a = command.find_first_not_of(" \t");
        bool heredoc_only = !ins.heredocs.empty() && a != std::string::npos &&
                            command.compare(a, 2, "<<") == 0 &&
                            command.find_first_of(" \t", a) == std::string::npos;
        std::string body;
        if (heredoc_only) {
          body = ins.heredocs[0].content;
          script.first_line = ins.location.line + 1;
          if (body.starts_with("#!")) {
            std::string shebang = body.substr(0, body.find('\n'));
            dialect = DialectOfShebang(shebang);
            body = body.substr(shebang.size());  // the newline stays: line numbers hold
          }
        } else {
          body = RunBody(lines, ins.location.line, ins.end_line, ins.location.column);
          script.first_line = ins.location.line;
        }
        if (dialect.empty()) continue;
        std::string exports = "export";
        for (const auto& n : names) exports += " " + n + "=1";
        script.text =
            "#!/bin/" + dialect + "\n" + (names.empty() ? std::string(":") : exports) + "\n" + body;
        scripts.push_back(std::move(script));
      }
    }
    names_by_stage[stage.index] = std::move(names);
    shell_by_stage[stage.index] = shell;
  }
  return scripts;
}

Result<std::vector<Finding>> ParseShellcheckJson(const std::string& json,
                                                 const std::vector<std::string>& paths,
                                                 const std::vector<ShellcheckScript>& scripts,
                                                 const std::string& file) {
  auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("comments") ||
      !doc["comments"].is_array())
    return InvalidInput("shellcheck printed no json1 report: " + json.substr(0, 200));
  std::vector<Finding> findings;
  for (const auto& c : doc["comments"]) {
    if (!c.is_object() || !c.contains("file") || !c["file"].is_string() || !c.contains("line") ||
        !c["line"].is_number_integer() || !c.contains("code") || !c["code"].is_number_integer())
      continue;
    std::string path = c["file"];
    size_t index = 0;
    while (index < paths.size() && paths[index] != path) ++index;
    if (index == paths.size()) continue;
    int line = c["line"];
    if (line < 3) continue;  // the prelude
    int column =
        c.contains("column") && c["column"].is_number_integer() ? c["column"].get<int>() : 1;
    Finding f;
    f.location = Location{file, scripts[index].first_line + line - 3, std::max(column, 1)};
    std::string level =
        c.contains("level") && c["level"].is_string() ? c["level"].get<std::string>() : "warning";
    f.severity = ParseSeverity(level).value_or(Severity::kWarning);
    f.code = "SC" + std::to_string(c["code"].get<int>());
    f.aliases = {"PL320", "shellcheck"};
    f.message =
        c.contains("message") && c["message"].is_string() ? c["message"].get<std::string>() : "";
    f.hint = "see https://www.shellcheck.net/wiki/" + f.code;
    findings.push_back(std::move(f));
  }
  return findings;
}

Result<std::vector<Finding>> RunShellcheck(const DockerfileView& view, const std::string& program) {
  std::vector<ShellcheckScript> scripts = ShellcheckScripts(view);
  if (scripts.empty()) return std::vector<Finding>{};
  auto found = program.find('/') == std::string::npos ? FindProgram(program)
                                                      : std::optional<std::string>(program);
  if (!found || !PathExists(*found)) {
    static std::once_flag said;
    std::call_once(said, [&] {
      std::cerr << "plinth: " << program
                << " is not installed: RUN commands are not checked by ShellCheck (apt-get install "
                   "shellcheck)\n";
    });
    return std::vector<Finding>{};
  }
  PLINTH_TRY(auto dir, TempDir::Create("plinth-shellcheck"));
  std::vector<std::string> paths;
  for (size_t i = 0; i < scripts.size(); ++i) {
    std::string path = dir.path() + "/run-" + std::to_string(i + 1) + ".sh";
    PLINTH_CHECK(WriteFileAtomic(path, scripts[i].text));
    paths.push_back(path);
  }
  // One process per Dockerfile; a file with thousands of RUNs is split in batches so that the
  // command line stays far below the kernel's limit.
  std::vector<Finding> findings;
  for (size_t start = 0; start < scripts.size(); start += kMaxScriptsPerProcess) {
    size_t end = std::min(scripts.size(), start + kMaxScriptsPerProcess);
    std::vector<std::string> argv = {*found, "--format=json1", "--norc",
                                     "--exclude=" + std::string(kExcluded)};
    argv.insert(argv.end(), paths.begin() + start, paths.begin() + end);
    PLINTH_TRY(auto result, RunProcess(argv));
    // 0: clean, 1: comments; anything else is shellcheck failing.
    if (result.exit_code != 0 && result.exit_code != 1)
      return InvalidInput("shellcheck failed (exit " + std::to_string(result.exit_code) +
                              "): " + result.err.substr(0, 500),
                          Location{view.file, 1, 1});
    if (result.out.size() > kMaxOutputBytes)
      return InvalidInput("shellcheck printed more than 64 MiB");
    PLINTH_TRY(auto batch, ParseShellcheckJson(result.out, paths, scripts, view.file));
    findings.insert(findings.end(), batch.begin(), batch.end());
  }
  return findings;
}

}  // namespace plinth::lint
