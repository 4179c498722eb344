// End to end: how `plinth` finds its commands (issue 14, "CLI traps"): an unknown command or
// subcommand is named with the nearest one, a missing one with the list of them (exit 2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/plinth_runner.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

TEST(CliCommandsTest, AMistypedCommandIsNamedWithTheNearestOne) {
  auto r = RunPlinth({"buidl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'buidl' (did you mean 'build'?)"));
  r = RunPlinth({"--store", "somewhere", "pussh", "image:tag"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'pussh' (did you mean 'push'?)"));
}

TEST(CliCommandsTest, AWordNearNoCommandIsNamedWithTheCommands) {
  auto r = RunPlinth({"foo"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'foo'; the commands of 'plinth' are "));
  for (const char* command : {"plan", "build", "lint", "store", "version"})
    EXPECT_THAT(r.err, HasSubstr(command));
  EXPECT_THAT(r.err, Not(HasSubstr("A subcommand is required")));
}

TEST(CliCommandsTest, AnUnknownSubcommandOfAGroupIsNamedToo) {
  auto r = RunPlinth({"store", "lss"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'store lss' (did you mean 'store ls'?)"));
  r = RunPlinth({"image", "zap"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err,
              HasSubstr("unknown command 'image zap'; the subcommands of 'plinth image' are build, "
                        "inspect, export"));
}

TEST(CliCommandsTest, AMissingCommandOrSubcommandIsNamedWithTheList) {
  auto r = RunPlinth({"store"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'plinth store' needs a subcommand: ls, verify, gc"));
  r = RunPlinth({"-v"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'plinth' needs a command: "));
  EXPECT_THAT(r.err, HasSubstr("build"));
}

TEST(CliCommandsTest, OtherUsageErrorsKeepTheirOwnMessage) {
  auto r = RunPlinth({"version", "extra"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("extra"));
  EXPECT_THAT(r.err, Not(HasSubstr("unknown command")));
  auto no_value = RunPlinth({"--store"});
  EXPECT_EQ(no_value.exit_code, 2);
  EXPECT_THAT(no_value.err, HasSubstr("--store"));
  EXPECT_THAT(no_value.err, Not(HasSubstr("needs a command")));
  EXPECT_EQ(RunPlinth({"--help"}).exit_code, 0);
}

}  // namespace
}  // namespace plinth
