// Hostile local inputs as a user meets them (issue 12): plinth exits 2 with FILE:LINE:COL and
// what is wrong, never aborts, and never reads outside the fleet's folder unless told to.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::RunPlinth;

const std::string kHex(64, 'a');

// A recipe with an air-gapped index, so that `base build` needs no network before it reads
// the lock.
void WriteOfflineRecipe(const testing::ScratchDir& dir) {
  testing::WriteTestFile(dir / "recipe.yaml",
                         "name: tiny\nsuite: bookworm\narchitectures: [amd64]\npackages: [base-files]\n"
                         "index: {packages: Packages, release: Release, debs: debs}\n");
  testing::WriteTestFile(dir / "Packages", "");
  testing::WriteTestFile(dir / "Release", "");
}

TEST(UntrustedInputsTest, ALockSizeBeyond64BitsExits2AtItsLine) {
  testing::ScratchDir dir;
  WriteOfflineRecipe(dir);
  testing::WriteTestFile(dir / "bad.lock", "plinth-lock 1\n[tiny/amd64] inputs=" + kHex +
                                               "\nbase-files 12.4 amd64 sha256:" + kHex +
                                               " 99999999999999999999999 pool/b.deb\n");
  auto r = RunPlinth({"--store", dir / "store", "base", "build", dir / "recipe.yaml", "--arch",
                      "amd64", "--lock", dir / "bad.lock", "--cache", dir / "cache"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;  // 134 (an uncaught std::out_of_range) before
  const std::string column = std::to_string(std::string("base-files 12.4 amd64 sha256:").size() + 64 + 2);
  EXPECT_THAT(r.err, HasSubstr(dir / "bad.lock" + ":3:" + column + ": "));
  EXPECT_THAT(r.err, HasSubstr("size: expected a decimal number of bytes below 2^64"));
}

// `ENV` doubling a value makes an image config of hundreds of MB (805 MB and 3 GB of memory
// before the limits); the builder stops at 4 MiB, at the instruction that passes it.
TEST(UntrustedInputsTest, AnImageConfigGrownPastItsLimitFailsAtTheInstruction) {
  testing::ScratchDir dir;
  std::string sixteen_times;
  for (int i = 0; i < 16; ++i) sixteen_times += "$A";
  // Each `ENV Cn=$B` adds about 1.9 MB (the value, and the history line that shows it): the
  // second of them, on line 5, passes 4 MiB.
  testing::WriteTestFile(dir / "fleet/big/Dockerfile",
                         "FROM scratch\nENV A=" + std::string(60000, 'x') + "\nENV B=" +
                             sixteen_times + "\nENV C0=$B\nENV C1=$B\nENV C2=$B\n");
  testing::WriteTestFile(dir / "fleet/plinth.yaml",
                         "namespace: team\nplatforms: [linux/amd64]\ntiers:\n  app: {}\n"
                         "groups:\n  apps: {phase: 1}\nservices:\n  big:\n    tier: app\n"
                         "    group: apps\n    dockerfile: big/Dockerfile\n");
  auto r = RunPlinth({"--store", dir / "store", "build", "--pull", "never"}, {}, dir / "fleet");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out + r.err, HasSubstr("Dockerfile:5:"));
  EXPECT_THAT(r.out + r.err, HasSubstr("would grow past 4 MiB"));
}

// A fleet whose service builds `../outside`: `plinth lint` printed the lines of a Dockerfile
// outside the fleet, and `plinth plan` planned a context outside it.
class UntrustedFleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTestFile(dir_ / "outside/Dockerfile", "FROM scratch\nCOPY secret /secret\n");
    testing::WriteTestFile(dir_ / "outside/secret", "not for images\n");
    testing::WriteTestFile(dir_ / "fleet/app/Dockerfile", "FROM scratch\nCOPY . /app\n");
  }
  void WriteFleet(const std::string& fields) {
    testing::WriteTestFile(dir_ / "fleet/plinth.yaml",
                           "namespace: team\ntiers:\n  app: {}\ngroups:\n  apps: {phase: 1}\n"
                           "services:\n  api:\n    tier: app\n    group: apps\n" + fields);
  }
  testing::ScratchDir dir_;
};

TEST_F(UntrustedFleetTest, LintRefusesADockerfileOutsideTheFleet) {
  WriteFleet("    dockerfile: ../outside/Dockerfile\n");
  auto r = RunPlinth({"lint"}, {}, dir_ / "fleet");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("plinth.yaml:10:17: service \"api\": dockerfile \"../outside/Dockerfile\" "
                               "climbs out of the folder of plinth.yaml"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("COPY secret")));
}

TEST_F(UntrustedFleetTest, PlanRefusesAContextThatLinksOut) {
  ASSERT_EQ(symlink("../outside", (dir_ / "fleet/ctx").c_str()), 0);
  WriteFleet("    dockerfile: app/Dockerfile\n    context: ctx\n");
  auto r = RunPlinth({"--store", dir_ / "store", "plan"}, {}, dir_ / "fleet");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("plinth.yaml:11:14: service \"api\": context \"ctx\" leads through a symbolic link"));
}

TEST_F(UntrustedFleetTest, AllowOutsideLetsTheNamedPathOut) {
  ASSERT_EQ(symlink("../outside", (dir_ / "fleet/ctx").c_str()), 0);
  WriteFleet("    dockerfile: app/Dockerfile\n    context: ctx\n    allow_outside: [context]\n");
  auto r = RunPlinth({"lint"}, {}, dir_ / "fleet");
  EXPECT_NE(r.exit_code, 2) << r.out << r.err;
}

}  // namespace
}  // namespace plinth
