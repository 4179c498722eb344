// End to end: what `plinth build` sends a terminal (issue 14, "CLI traps"): TERM=dumb gets plain
// lines and no cursor movement; colour goes only to a terminal, never with NO_COLOR set
// (https://no-color.org) or to a pipe.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/pty_support.h"
#include "e2e/scratch_fleet_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunInPty;

constexpr const char* kCursorUp = "\x1b[1A";
constexpr const char* kGreen = "\x1b[32m";

class CliTerminalTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteScratchFleet(Fleet(), {"one", "two"}, {"linux/amd64"}); }
  std::string Fleet() const { return dir_ / "fleet"; }
  // A fresh store each run, so every run builds (and shows DONE lines).
  std::vector<std::string> Build(const std::string& store, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"build", "--store", dir_ / store};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  testing::ScratchDir dir_;
};

TEST_F(CliTerminalTest, ADumbTerminalGetsPlainLinesAndNoEscapeCodes) {
  auto r = RunInPty(Build("dumb"), Fleet(), {{"TERM", "dumb"}});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b"))) << r.out;
  EXPECT_THAT(r.out, HasSubstr("=> START   one@linux/amd64"));
  EXPECT_THAT(r.out, HasSubstr("=> DONE    one@linux/amd64  cli/one:latest-amd64"));
  EXPECT_THAT(r.out, HasSubstr("=> DONE    two@linux/amd64  cli/two:latest-amd64"));
  EXPECT_THAT(r.out, HasSubstr("(2/2) FINISHED"));
  EXPECT_THAT(r.out, HasSubstr("built 2, cached 0"));
  // --progress tty asks for the live view, but this terminal cannot show it.
  auto tty = RunInPty(Build("dumb-tty", {"--progress", "tty"}), Fleet(), {{"TERM", "dumb"}});
  ASSERT_EQ(tty.exit_code, 0) << tty.out;
  EXPECT_THAT(tty.out, Not(HasSubstr("\x1b"))) << tty.out;
}

TEST_F(CliTerminalTest, AColourTerminalGetsTheLiveViewInColour) {
  auto r = RunInPty(Build("colour"), Fleet(), {{"TERM", "xterm-256color"}});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(kCursorUp));
  EXPECT_THAT(r.out, HasSubstr(std::string(kGreen) + "=> DONE    one@linux/amd64"));
  EXPECT_THAT(r.out, HasSubstr("\x1b[0m\r\n"));  // reset at the end of the coloured line
  // NO_COLOR set but empty does not count (no-color.org).
  auto empty = RunInPty(Build("empty-no-color"), Fleet(), {{"NO_COLOR", ""}});
  EXPECT_THAT(empty.out, HasSubstr(kGreen));
}

TEST_F(CliTerminalTest, NoColourWithNoColorOrOffATerminal) {
  auto r = RunInPty(Build("no-color"), Fleet(), {{"NO_COLOR", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr(kCursorUp));  // still the live view
  EXPECT_THAT(r.out, HasSubstr("=> DONE    one@linux/amd64"));
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b[3"))) << r.out;
  EXPECT_THAT(r.out, Not(HasSubstr("\x1b[0m"))) << r.out;
  // --progress tty into a pipe: the live view asked for, but no colour.
  auto piped = testing::RunPlinth(Build("piped", {"--progress", "tty"}),
                                  {{"TERM", "xterm-256color"}}, Fleet());
  ASSERT_EQ(piped.exit_code, 0) << piped.out << piped.err;
  EXPECT_THAT(piped.out, HasSubstr(kCursorUp));
  EXPECT_THAT(piped.out, Not(HasSubstr("\x1b[3"))) << piped.out;
}

}  // namespace
}  // namespace plinth
