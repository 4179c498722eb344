// End to end: `plinth completion bash|zsh|fish` (issue 14, "CLI traps"). Each script passes its
// shell's syntax check and, run in that shell, completes every command `plinth --help` lists,
// the subcommands of each group, a command's options and the global ones after it, and skips an
// option's value when it finds the command typed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::Contains;
using ::testing::Not;
using testing::RunPlinth;

using Words = std::set<std::string>;

// The subcommands `plinth ARGS… --help` lists.
Words HelpSubcommands(std::vector<std::string> args) {
  args.push_back("--help");
  auto r = RunPlinth(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Words names;
  std::istringstream lines(r.out);
  bool in_list = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("Subcommands:", 0) == 0)
      in_list = true;
    else if (in_list && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ')
      names.insert(line.substr(2, line.find(' ', 2) - 2));
    else if (in_list && line.empty())
      in_list = false;
  }
  return names;
}

Words Lines(const std::string& out) {
  Words words;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) words.insert(line.substr(0, line.find('\t')));  // fish: word<TAB>description
  return words;
}

// What `shell` offers after the words of `line` (a trailing space: a new, empty word). zsh's
// compadd and _files are stood in for: the candidates it is handed, before zsh filters them.
Words Complete(const std::string& shell, const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string w; in >> w;) words.push_back(w);
  if (line.back() == ' ') words.push_back("");
  std::map<std::string, std::string> env{{"PLINTH", testing::PlinthBinary()}, {"LINE", line}};
  std::vector<std::string> argv;
  if (shell == "bash") {
    argv = {
        "bash", "-c",
        "source <(\"$PLINTH\" completion bash) && COMP_WORDS=(\"$@\") && COMP_CWORD=$(($# - 1)) "
        "&& { _plinth; printf '%s\\n' \"${COMPREPLY[@]}\"; }",
        "bash"};
  } else if (shell == "zsh") {
    argv = {"zsh", "-c",
            "compdef() { :; }; compadd() { shift; print -l -- \"$@\"; }; "
            "_files() { print -- '<files>'; }; "
            "source <(\"$PLINTH\" completion zsh) && words=(\"$@\") && CURRENT=$# && _plinth",
            "zsh"};
  } else {
    argv = {"fish", "-c", "\"$PLINTH\" completion fish | source; and complete -C\"$LINE\""};
  }
  if (shell != "fish") argv.insert(argv.end(), words.begin(), words.end());
  testing::ScratchDir empty;  // where file names would be completed from: nothing there
  auto r = testing::Run(argv, env, empty.path());
  EXPECT_EQ(r.exit_code, 0) << shell << ": " << r.err;
  return Lines(r.out);
}

// Only the words starting with `prefix`: what bash and fish do themselves, zsh's compadd later.
Words Starting(const Words& words, const std::string& prefix) {
  Words out;
  for (const auto& w : words)
    if (w.rfind(prefix, 0) == 0) out.insert(w);
  return out;
}

class CliCompletionTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CliCompletionTest, TheScriptPassesTheShellsSyntaxCheck) {
  auto script = RunPlinth({"completion", GetParam()});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "completion", script.out);
  std::vector<std::string> check =
      GetParam() == "fish" ? std::vector<std::string>{"fish", "--no-execute", dir / "completion"}
                           : std::vector<std::string>{GetParam(), "-n", dir / "completion"};
  auto r = testing::Run(check);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_P(CliCompletionTest, EveryCommandAndSubcommandIsCompleted) {
  Words commands = HelpSubcommands({});
  ASSERT_THAT(commands, Contains("completion"));
  EXPECT_EQ(Complete(GetParam(), "plinth "), commands);
  int groups = 0;
  for (const auto& command : commands) {
    Words subcommands = HelpSubcommands({command});
    if (subcommands.empty()) continue;
    ++groups;
    EXPECT_EQ(Complete(GetParam(), "plinth " + command + " "), subcommands) << command;
  }
  EXPECT_GE(groups, 4);  // image, store, base, dockerfile
}

TEST_P(CliCompletionTest, OptionsOfTheCommandAndGlobalOnesAfterIt) {
  EXPECT_EQ(Starting(Complete(GetParam(), "plinth build --pl"), "--pl"), Words{"--platform"});
  EXPECT_EQ(Starting(Complete(GetParam(), "plinth store ls --st"), "--st"), Words{"--store"});
  EXPECT_EQ(Starting(Complete(GetParam(), "plinth image build --ta"), "--ta"), Words{"--tag"});
}

TEST_P(CliCompletionTest, AnOptionsValueIsNotTakenForTheCommand) {
  // `build` is the store folder here, not the command: the command is still to be typed.
  EXPECT_EQ(Complete(GetParam(), "plinth --store build "), HelpSubcommands({}));
  // After --platform comes its value, never a command name.
  EXPECT_THAT(Complete(GetParam(), "plinth build --platform "), Not(Contains("plan")));
}

INSTANTIATE_TEST_SUITE_P(Shells, CliCompletionTest, ::testing::Values("bash", "zsh", "fish"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace plinth
