#include "builder/copy_sources.h"

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace plinth::builder {
namespace {

using testing::WriteTestFile;

std::vector<std::string> Dests(const SourceSelection& s) {
  std::vector<std::string> out;
  for (const auto& p : s.paths) out.push_back(p.dest_relative);
  return out;
}

class CopySourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTestFile(dir_ / "app/main.py", "print(1)\n");
    WriteTestFile(dir_ / "app/lib/util.py", "x = 1\n");
    WriteTestFile(dir_ / "app/__pycache__/main.cpython-311.pyc", "junk");
    WriteTestFile(dir_ / "requirements.txt", "\n");
    WriteTestFile(dir_ / "config/a.yaml", "a: 1\n");
    WriteTestFile(dir_ / "config/b.yaml", "b: 1\n");
    WriteTestFile(dir_ / "config/c.json", "{}\n");
  }
  testing::ScratchDir dir_;
};

TEST_F(CopySourcesTest, DirectorySourceCopiesItsContents) {
  auto s = SelectSources(dir_.path(), {"app/"}, nullptr);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(s->dest_is_directory);
  EXPECT_EQ(Dests(*s), (std::vector<std::string>{"__pycache__", "__pycache__/main.cpython-311.pyc",
                                                 "lib", "lib/util.py", "main.py"}));
}

TEST_F(CopySourcesTest, DockerignoreHidesPaths) {
  auto ignore = dockerfile::DockerIgnore::Parse("**/__pycache__\n*.txt\n");
  ASSERT_TRUE(ignore.ok());
  auto s = SelectSources(dir_.path(), {"."}, &*ignore);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Dests(*s), (std::vector<std::string>{"app", "app/lib", "app/lib/util.py", "app/main.py",
                                                 "config", "config/a.yaml", "config/b.yaml",
                                                 "config/c.json"}));
  auto hidden = SelectSources(dir_.path(), {"requirements.txt"}, &*ignore);
  ASSERT_FALSE(hidden.ok());
  EXPECT_NE(hidden.error().message().find(".dockerignore"), std::string::npos);
}

TEST_F(CopySourcesTest, WildcardsMatchWithinOneFolderLevel) {
  auto s = SelectSources(dir_.path(), {"config/*.yaml"}, nullptr);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->dest_is_directory);
  EXPECT_EQ(Dests(*s), (std::vector<std::string>{"a.yaml", "b.yaml"}));
  EXPECT_FALSE(SelectSources(dir_.path(), {"*.yaml"}, nullptr).ok());  // nothing at top level
}

TEST_F(CopySourcesTest, SingleFileKeepsItsName) {
  auto s = SelectSources(dir_.path(), {"./app/main.py"}, nullptr);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->dest_is_directory);
  EXPECT_EQ(Dests(*s), (std::vector<std::string>{"main.py"}));
  EXPECT_EQ(s->paths[0].root_relative, "app/main.py");
}

TEST_F(CopySourcesTest, MissingAndEscapingSourcesAreErrors) {
  auto missing = SelectSources(dir_.path(), {"nope.py"}, nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  EXPECT_FALSE(SelectSources(dir_.path(), {"../etc/passwd"}, nullptr).ok());
}

}  // namespace
}  // namespace plinth::builder
