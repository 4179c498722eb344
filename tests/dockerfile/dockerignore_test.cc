// DockerIgnore: moby/patternmatcher semantics and the context file list.
#include "dockerfile/dockerignore.h"

#include <gtest/gtest.h>

#include "support/test_env.h"

namespace plinth::dockerfile {
namespace {

DockerIgnore Ignore(const std::string& text) {
  auto d = DockerIgnore::Parse(text);
  EXPECT_TRUE(d.ok()) << d.error().ToString();
  return d.ok() ? *d : DockerIgnore();
}

TEST(DockerIgnoreTest, BasicGlobs) {
  DockerIgnore d = Ignore("# comment\n*.md\n/build\ntmp?\n  logs/*.log  \n");
  EXPECT_TRUE(d.Excludes("README.md"));
  EXPECT_FALSE(d.Excludes("docs/README.md"));  // * does not cross folders
  EXPECT_TRUE(d.Excludes("build"));
  EXPECT_TRUE(d.Excludes("build/out/a.o"));  // a matching parent excludes its content
  EXPECT_TRUE(d.Excludes("tmp1"));
  EXPECT_FALSE(d.Excludes("tmp12"));
  EXPECT_TRUE(d.Excludes("logs/a.log"));
  EXPECT_FALSE(d.Excludes("logs/sub/a.log"));
  EXPECT_FALSE(d.Excludes("# comment"));
}

TEST(DockerIgnoreTest, DoubleStar) {
  DockerIgnore d = Ignore("**/*.pyc\nnode_modules/**\n**/.git\n");
  EXPECT_TRUE(d.Excludes("a.pyc"));
  EXPECT_TRUE(d.Excludes("x/y/z.pyc"));
  EXPECT_TRUE(d.Excludes("node_modules/a/b"));
  EXPECT_TRUE(d.Excludes(".git"));
  EXPECT_TRUE(d.Excludes("vendor/lib/.git/config"));
  EXPECT_FALSE(d.Excludes("src/main.py"));
}

TEST(DockerIgnoreTest, DoubleStarInTheMiddleAndParentsAreMatchedInOnePass) {
  DockerIgnore d = Ignore("a/**/b\nx/**\n");
  EXPECT_TRUE(d.Excludes("a/b"));
  EXPECT_TRUE(d.Excludes("a/x/y/b"));
  EXPECT_TRUE(d.Excludes("a/x/b/c/d"));  // its parent a/x/b matches
  EXPECT_FALSE(d.Excludes("a/xb"));
  EXPECT_FALSE(d.Excludes("ab"));
  EXPECT_FALSE(d.Excludes("c/a/b"));
  EXPECT_TRUE(d.Excludes("x/1/2"));
  EXPECT_FALSE(d.Excludes("x"));  // x/** needs something under x
  DockerIgnore star = Ignore("*/b*\n");
  EXPECT_TRUE(star.Excludes("a/bc/d"));
  EXPECT_FALSE(star.Excludes("a/c/bd"));
}

// The fuzzer found a pattern of many `**`, `*` and `/` that matching took seconds on: it is
// matched in time linear in the pattern and the path now (the input is also in the fuzz seeds,
// which ctest runs with a timeout). The answer is what the pattern means.
TEST(DockerIgnoreTest, ManyDoubleStarsAgainstALongPathStillAnswer) {
  std::string pattern, path;
  for (int i = 0; i < 200; ++i) pattern += "**/d*/";
  pattern += "end";
  for (int i = 0; i < 300; ++i) path += "d" + std::to_string(i) + "/";
  DockerIgnore d = Ignore(pattern + "\n");
  EXPECT_TRUE(d.Excludes(path + "end"));
  EXPECT_TRUE(d.Excludes(path + "end/more/files"));
  EXPECT_FALSE(d.Excludes(path + "other"));
}

TEST(DockerIgnoreTest, ExceptionsLastMatchWins) {
  DockerIgnore d = Ignore("*.md\n!README.md\nREADME-secret.md\n**\n!src\n!go.mod\n");
  EXPECT_FALSE(d.Excludes("src/main.go"));
  EXPECT_FALSE(d.Excludes("go.mod"));
  EXPECT_TRUE(d.Excludes("other.txt"));
  DockerIgnore e = Ignore("*.md\n!README*.md\nREADME-secret.md\n");
  EXPECT_FALSE(e.Excludes("README.md"));
  EXPECT_TRUE(e.Excludes("README-secret.md"));
  EXPECT_TRUE(e.Excludes("CHANGES.md"));
}

TEST(DockerIgnoreTest, ClassesEscapesAndCleaning) {
  DockerIgnore d = Ignore("[a-c]*.txt\nfoo/../bar\n\\*star\n[^x]y\n");
  EXPECT_TRUE(d.Excludes("b1.txt"));
  EXPECT_FALSE(d.Excludes("d1.txt"));
  EXPECT_TRUE(d.Excludes("bar"));
  EXPECT_TRUE(d.Excludes("*star"));
  EXPECT_FALSE(d.Excludes("xstar"));
  EXPECT_TRUE(d.Excludes("ay"));
  EXPECT_FALSE(d.Excludes("xy"));
  EXPECT_FALSE(DockerIgnore::Parse("!\n").ok());
  EXPECT_FALSE(DockerIgnore::Parse("[a-\n").ok());
  EXPECT_EQ(CleanPath("./a//b/../c/"), "a/c");
  EXPECT_EQ(CleanPath("/../a"), "/a");
}

TEST(DockerIgnoreTest, ListsContextFiles) {
  testing::ScratchDir dir;
  for (const char* f : {"Dockerfile", "src/main.go", "src/main_test.go", "README.md", "docs/a.md",
                        "node_modules/x/index.js", ".git/HEAD", "keep/.git/x"}) {
    testing::WriteTestFile(dir / f, "x");
  }
  DockerIgnore d = Ignore("node_modules\n.git\n**/*_test.go\n*.md\n!README.md\n");
  auto files = ListContextFiles(dir.path(), d);
  ASSERT_TRUE(files.ok()) << files.error().ToString();
  EXPECT_EQ(*files, (std::vector<std::string>{"Dockerfile", "README.md", "docs/a.md",
                                              "keep/.git/x", "src/main.go"}));
}

}  // namespace
}  // namespace plinth::dockerfile
