// End to end: a command that writes to the store (issue 14, "CLI traps") creates it in a missing
// or empty folder and accepts an existing OCI layout, but refuses (exit 2) a folder that holds
// other files and no oci-layout: a mistyped --store must not make a store of a source tree.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "e2e/scratch_fleet_support.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::RunPlinth;

std::set<std::string> Entries(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

class CliStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteScratchFleet(Fleet(), {"web"}, {"linux/amd64"}); }
  std::string Fleet() const { return dir_ / "fleet"; }
  testing::ScratchDir dir_;
};

TEST_F(CliStoreTest, ANonEmptyFolderThatIsNoStoreIsRefused) {
  // --store pointing at the fleet's own sources, a classic slip.
  for (const char* command : {"plan", "build"}) {
    SCOPED_TRACE(command);
    auto r = RunPlinth({command, "--store", Fleet() + "/web"}, {}, Fleet());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("'" + Fleet() +
                                 "/web' is not empty and is not a plinth store "
                                 "(no oci-layout)"));
    EXPECT_THAT(r.err, HasSubstr("--store"));
    EXPECT_EQ(Entries(Fleet() + "/web"), (std::set<std::string>{"Dockerfile", "hello.txt"}));
  }
  auto env = RunPlinth({"plan"}, {{"PLINTH_STORE", Fleet() + "/web"}}, Fleet());
  EXPECT_EQ(env.exit_code, 2) << env.out;
  EXPECT_EQ(Entries(Fleet() + "/web"), (std::set<std::string>{"Dockerfile", "hello.txt"}));
}

TEST_F(CliStoreTest, EveryCommandThatWritesTheStoreRefusesSuchAFolder) {
  std::string web = Fleet() + "/web";
  std::vector<std::vector<std::string>> commands = {
      {"image", "build", "--from", "scratch", "--add", web + "/hello.txt:/hello.txt", "-t",
       "cli/x:1"},
      // Refused before any registry is asked (nothing listens on port 9).
      {"pull", "--insecure", "127.0.0.1:9/cli/web:1"},
      {"copy", "--insecure", "127.0.0.1:9/cli/web:1", "store:cli/web:1"},
      // Refused before its Debian packages are fetched.
      {"base", "build", testing::SourceDir() + "/examples/lucid/bases/static-debian12.yaml"},
  };
  for (auto args : commands) {
    SCOPED_TRACE(args[0]);
    ASSERT_EQ(Entries(web), (std::set<std::string>{"Dockerfile", "hello.txt"}));
    args.insert(args.end(), {"--store", web});
    auto r = RunPlinth(args, {}, Fleet());
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("is not empty and is not a plinth store")) << r.err;
    EXPECT_EQ(Entries(web), (std::set<std::string>{"Dockerfile", "hello.txt"}));
    for (const char* made : {"blobs", "plinth", "oci-layout", "index.json"})
      std::filesystem::remove_all(web + "/" +
                                  made);  // the next command starts from the same folder
  }
}

TEST_F(CliStoreTest, AMissingOrEmptyFolderBecomesAStoreAndAStoreIsAccepted) {
  std::string missing = dir_ / "new/store", empty = dir_ / "empty";
  fs::create_directories(empty);
  for (const auto& store : {missing, empty}) {
    SCOPED_TRACE(store);
    auto first = RunPlinth({"build", "--store", store, "--format", "json"}, {}, Fleet());
    EXPECT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_TRUE(fs::exists(store + "/oci-layout"));
    // The store now holds more than an empty one (blobs, records): still accepted.
    auto again = RunPlinth({"plan", "--store", store}, {}, Fleet());
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_THAT(again.out, HasSubstr("web@linux/amd64  cached"));
  }
}

TEST_F(CliStoreTest, AStoreWhoseCreationWasCutShortIsAccepted) {
  // What LayoutStore::Open makes before it writes oci-layout.
  std::string store = dir_ / "store";
  fs::create_directories(store + "/blobs/sha256");
  fs::create_directories(store + "/plinth/tmp");
  auto r = RunPlinth({"plan", "--store", store}, {}, Fleet());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(store + "/oci-layout"));
}

}  // namespace
}  // namespace plinth
