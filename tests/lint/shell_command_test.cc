// The shell parse lint reads RUN commands through: which commands a script runs, their words
// (quotes removed, redirections left out), pipes, and hadolint's view of names and flags.
#include "lint/shell_command.h"

#include <gtest/gtest.h>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"

namespace plinth::lint {
namespace {

using Words = std::vector<std::string>;

std::vector<Words> CommandWords(const ShellScript& s) {
  std::vector<Words> out;
  for (const auto& c : s.commands) out.push_back(c.words);
  return out;
}

std::vector<Words> Parse(std::string_view text) { return CommandWords(SplitShell(text)); }

TEST(ShellCommandTest, SplitsAtOperatorsAndNewlines) {
  EXPECT_EQ(Parse("a 1 && b 2 || c; d & e\nf | g |& h"),
            (std::vector<Words>{{"a", "1"}, {"b", "2"}, {"c"}, {"d"}, {"e"}, {"f"}, {"g"}, {"h"}}));
}

TEST(ShellCommandTest, QuotesAndEscapesAreRemovedButKeepWordsTogether) {
  EXPECT_EQ(Parse("echo 'a && b' \"c; d\" e\\ f \"g\\\"h\" i'j'\"k\""),
            (std::vector<Words>{{"echo", "a && b", "c; d", "e f", "g\"h", "ijk"}}));
  EXPECT_EQ(Parse("echo $'a\\tb'"), (std::vector<Words>{{"echo", "a\tb"}}));
}

TEST(ShellCommandTest, LineContinuationsAndCommentsAreSkipped) {
  EXPECT_EQ(Parse("apt-get install \\\n  curl \\\n  wget # the tools\n# a whole line\nls a#b"),
            (std::vector<Words>{{"apt-get", "install", "curl", "wget"}, {"ls", "a#b"}}));
}

TEST(ShellCommandTest, SubshellsAndGroupsAreSearched) {
  EXPECT_EQ(Parse("(cd /x && make) && { cd /y; make install; }"),
            (std::vector<Words>{{"cd", "/x"}, {"make"}, {"cd", "/y"}, {"make", "install"}}));
}

TEST(ShellCommandTest, CommandSubstitutionsAreCommandsToo) {
  EXPECT_EQ(Parse("echo \"$(curl -s https://x | sha256sum)\" `wget -q y`"),
            (std::vector<Words>{{"echo", "$(curl -s https://x | sha256sum)", "`wget -q y`"},
                                {"curl", "-s", "https://x"},
                                {"sha256sum"},
                                {"wget", "-q", "y"}}));
  EXPECT_TRUE(SplitShell("x=$(a | b)").has_pipe);
  EXPECT_EQ(Parse("diff <(sort a) b"),
            (std::vector<Words>{{"diff", "<(sort a)", "b"}, {"sort", "a"}}));
  EXPECT_EQ(Parse("echo $((1 + 2)) ${A:-$B}"),
            (std::vector<Words>{{"echo", "$((1 + 2))", "${A:-$B}"}}));
}

TEST(ShellCommandTest, ControlStructuresAreNotCommands) {
  EXPECT_EQ(
      Parse("if [ -f a ]; then rm a; elif true; then :; else touch a; fi"),
      (std::vector<Words>{{"[", "-f", "a", "]"}, {"rm", "a"}, {"true"}, {":"}, {"touch", "a"}}));
  EXPECT_EQ(Parse("for p in curl wget; do apt-get install $p; done"),
            (std::vector<Words>{{"apt-get", "install", "$p"}}));
  EXPECT_EQ(Parse("while read l; do echo $l; done < f"),
            (std::vector<Words>{{"read", "l"}, {"echo", "$l"}}));
  EXPECT_EQ(Parse("case \"$a\" in\n  x|y) apk add x ;;\n  (*) echo no ;;\nesac"),
            (std::vector<Words>{{"apk", "add", "x"}, {"echo", "no"}}));
  EXPECT_EQ(Parse("f() { make; }; f"), (std::vector<Words>{{"make"}, {"f"}}));
  EXPECT_EQ(Parse("! grep -q x f"), (std::vector<Words>{{"grep", "-q", "x", "f"}}));
}

TEST(ShellCommandTest, RedirectionsAreNotWords) {
  EXPECT_EQ(Parse("make >out.log 2>&1 < in && cat 2> err a >> b &> c"),
            (std::vector<Words>{{"make"}, {"cat", "a"}}));
  EXPECT_EQ(Parse("grep x <<< \"$v\""), (std::vector<Words>{{"grep", "x"}}));
}

TEST(ShellCommandTest, InlineHeredocBodiesAreDataUnlessAShellReadsThem) {
  EXPECT_EQ(Parse("cat <<EOF > /etc/x\napt-get install curl\nEOF\nls"),
            (std::vector<Words>{{"cat"}, {"ls"}}));
  EXPECT_EQ(Parse("cat <<-'EOF' | tee f\n\tx y\n\tEOF\nls"),
            (std::vector<Words>{{"cat"}, {"tee", "f"}, {"ls"}}));
  EXPECT_EQ(Parse("bash -e <<EOF\napt-get install curl\nEOF\n"),
            (std::vector<Words>{{"bash", "-e"}, {"apt-get", "install", "curl"}}));
}

TEST(ShellCommandTest, PipesAreFoundButOrIsNoPipe) {
  EXPECT_TRUE(SplitShell("a | b").has_pipe);
  EXPECT_TRUE(SplitShell("a |& b").has_pipe);
  EXPECT_FALSE(SplitShell("a || b").has_pipe);
  EXPECT_FALSE(SplitShell("echo 'a|b' \"c|d\" e\\|f").has_pipe);
}

TEST(ShellCommandTest, AnUnclosedQuoteIsASyntaxErrorWithNoCommands) {
  for (const char* bad :
       {"apt-get install 'curl", "echo \"a", "echo $(ls", "echo `ls", "echo ${a"}) {
    ShellScript s = SplitShell(bad);
    EXPECT_FALSE(s.parsed) << bad;
    EXPECT_TRUE(s.commands.empty()) << bad;
  }
}

TEST(ShellCommandTest, HostileNestingIsBounded) {
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "$(";
  deep += "ls";
  for (int i = 0; i < 5000; ++i) deep += ")";
  ShellScript s = SplitShell("echo " + deep);
  EXPECT_TRUE(s.parsed);
  EXPECT_EQ(s.commands.front().words.front(), "echo");
  EXPECT_LE(s.commands.size(), 40u);
}

TEST(ShellCommandTest, HadolintNamesFlagsAndArguments) {
  ShellCommand c = SplitShell(
                       "DEBIAN_FRONTEND=noninteractive apt-get -yq --no-install-recommends "
                       "-t bookworm-backports install curl=1 --option=x")
                       .commands.at(0);
  EXPECT_EQ(c.Name(), "apt-get");
  EXPECT_EQ(c.Flags(), (Words{"y", "q", "no-install-recommends", "t", "option"}));
  EXPECT_TRUE(c.HasAnyFlag({"y", "yes"}));
  EXPECT_TRUE(c.Is("apt-get", {"install"}));
  EXPECT_EQ(c.ArgsNoFlags({"t"}), (Words{"install", "curl=1"}));
  EXPECT_EQ(c.ArgsNoFlags(), (Words{"bookworm-backports", "install", "curl=1"}));

  // As ShellCheck: sudo is the command, a path is not shortened, `command` is looked through,
  // and a name with an expansion is no name.
  EXPECT_EQ(SplitShell("sudo apt-get install x").commands[0].Name(), "sudo");
  EXPECT_EQ(SplitShell("/usr/bin/wget x").commands[0].Name(), "/usr/bin/wget");
  EXPECT_EQ(SplitShell("command -v x").commands[0].Name(), "command");
  EXPECT_EQ(SplitShell("command wget x").commands[0].Name(), "wget");
  EXPECT_EQ(SplitShell("exec -a n gosu app").commands[0].Name(), "gosu");
  EXPECT_EQ(SplitShell("$PKG install x").commands[0].Name(), "");
  EXPECT_EQ(SplitShell("useradd -u 123456 app").commands[0].FlagValues("u"), (Words{"123456"}));
  // plinth's own view (fleet rules) still looks through sudo and paths.
  EXPECT_EQ(SplitShell("sudo -E /usr/bin/apt-get install x").commands[0].Program(), "apt-get");
}

dockerfile::Instruction LastRun(const std::string& dockerfile) {
  auto ast = dockerfile::Parse(dockerfile, "Dockerfile");
  EXPECT_TRUE(ast) << ast.error().ToString();
  auto ins = dockerfile::ParseInstructions(*ast);
  EXPECT_TRUE(ins) << ins.error().ToString();
  return ins->back();
}

TEST(ShellCommandTest, RunHeredocsAreScriptsWhenTheyFeedTheShell) {
  EXPECT_EQ(CommandWords(CommandsOf(
                LastRun("FROM x\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n"))),
            (std::vector<Words>{{"apt-get", "update"}, {"apt-get", "install", "-y", "curl"}}));
  EXPECT_EQ(CommandWords(CommandsOf(LastRun("FROM x\nRUN bash -ex <<EOF\ncd /x | tee\nEOF\n"))),
            (std::vector<Words>{{"bash", "-ex"}, {"cd", "/x"}, {"tee"}}));
  EXPECT_TRUE(CommandsOf(LastRun("FROM x\nRUN <<EOF\na | b\nEOF\n")).has_pipe);
  // Data, not commands: a file written by cat, a python script.
  EXPECT_EQ(
      CommandWords(CommandsOf(LastRun("FROM x\nRUN cat <<EOF > /etc/apt/x\nsudo rm -rf /\nEOF\n"))),
      (std::vector<Words>{{"cat"}}));
  EXPECT_EQ(CommandWords(
                CommandsOf(LastRun("FROM x\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n"))),
            (std::vector<Words>{}));
  EXPECT_EQ(CommandWords(CommandsOf(LastRun("FROM x\nRUN python3 <<EOF\nimport os\nEOF\n"))),
            (std::vector<Words>{{"python3"}}));
}

TEST(ShellCommandTest, ExecFormIsOneCommand) {
  EXPECT_EQ(CommandWords(CommandsOf(LastRun("FROM x\nRUN [\"sh\", \"-c\", \"a | b\"]\n"))),
            (std::vector<Words>{{"sh", "-c", "a | b"}}));
}

}  // namespace
}  // namespace plinth::lint
