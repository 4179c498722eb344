#include "lint/shell_command.h"

#include <algorithm>

namespace plinth::lint {
namespace {

bool IsAssignment(const std::string& word) {
  auto eq = word.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  return std::all_of(word.begin(), word.begin() + eq,
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

size_t ProgramIndex(const std::vector<std::string>& words) {
  size_t i = 0;
  while (i < words.size()) {
    const std::string& w = words[i];
    if (IsAssignment(w) || w == "sudo" || w == "env" || w == "exec" || w == "command") {
      ++i;
    } else if (!w.empty() && w[0] == '-' && i > 0 && (words[i - 1] == "sudo" || words[i - 1] == "env")) {
      ++i;  // sudo -E, env -i
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::string ShellCommand::Program() const {
  size_t i = ProgramIndex(words);
  if (i >= words.size()) return "";
  std::string p = words[i];
  auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::vector<std::string> ShellCommand::Arguments() const {
  size_t i = ProgramIndex(words);
  if (i >= words.size()) return {};
  return {words.begin() + i + 1, words.end()};
}

ShellScript SplitShell(std::string_view s) {
  ShellScript script;
  ShellCommand current;
  std::string word;
  bool in_word = false;
  auto end_word = [&] {
    if (in_word) current.words.push_back(word);
    word.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!current.words.empty()) script.commands.push_back(std::move(current));
    current = ShellCommand{};
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] != '\n') word += s[i + 1], in_word = true;
      ++i;
    } else if (c == '\'') {
      size_t close = s.find('\'', i + 1);
      if (close == std::string_view::npos) close = s.size();
      word += s.substr(i + 1, close - i - 1);
      in_word = true;
      i = close;
    } else if (c == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        word += s[i++];
      }
      in_word = true;
    } else if (c == '#' && !in_word) {
      while (i < s.size() && s[i] != '\n') ++i;
      end_command();
    } else if (c == ' ' || c == '\t') {
      end_word();
    } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
      if (c == '|' && (i + 1 >= s.size() || s[i + 1] != '|') && (i == 0 || s[i - 1] != '|'))
        script.has_pipe = true;
      if ((c == '|' || c == '&') && i + 1 < s.size() && s[i + 1] == c) ++i;
      end_command();
    } else {
      word += c;
      in_word = true;
    }
  }
  end_command();
  return script;
}

ShellScript CommandsOf(const dockerfile::Instruction& run) {
  ShellScript script;
  if (run.command.form == dockerfile::CommandForm::kExec) {
    if (!run.command.args.empty()) script.commands.push_back(ShellCommand{run.command.args});
  } else {
    std::string text;
    for (const auto& a : run.command.args) text += (text.empty() ? "" : " ") + a;
    script = SplitShell(text);
  }
  for (const auto& h : run.heredocs) {
    ShellScript body = SplitShell(h.content);
    script.has_pipe = script.has_pipe || body.has_pipe;
    for (auto& c : body.commands) script.commands.push_back(std::move(c));
  }
  return script;
}

std::string PackageManagerUse(const ShellCommand& command) {
  std::string program = command.Program();
  std::vector<std::string> args = command.Arguments();
  auto has = [&](std::initializer_list<const char*> words) {
    for (const auto& a : args)
      for (const char* w : words)
        if (a == w) return true;
    return false;
  };
  if (program == "apt-get" || program == "apt" || program == "aptitude" || program == "apk" ||
      program == "yum" || program == "dnf" || program == "microdnf" || program == "zypper")
    return program;
  if ((program == "dpkg" && has({"-i", "--install"})) || (program == "rpm" && has({"-i", "-U", "--install"})))
    return program + " -i";
  if ((program == "pip" || program == "pip3") && has({"install"})) return program + " install";
  if (program.starts_with("python") && has({"pip"}) && has({"install"})) return "pip install";
  return "";
}

}  // namespace plinth::lint
