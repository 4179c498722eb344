// The limits of dockerfile/limits.h: a Dockerfile's size, its number of instructions and the
// size of an expanded word are errors naming FILE:LINE, not gigabytes of memory (issue 12).
#include "dockerfile/limits.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "dockerfile/parser.h"
#include "dockerfile/shell_lex.h"
#include "support/test_env.h"

namespace plinth::dockerfile {
namespace {

bool Mentions(const Error& e, const std::string& what) {
  return e.ToString().find(what) != std::string::npos;
}

// FROM, then comment lines of 1000 bytes until the text has `size` bytes or more.
std::string PaddedDockerfile(size_t size) {
  std::string text = "FROM scratch\n";
  const std::string comment = "#" + std::string(998, 'x') + "\n";
  while (text.size() < size) text += comment;
  return text + "RUN true\n";
}

TEST(DockerfileLimitsTest, ADockerfileLargerThanTheLimitIsRefusedAtTheLineThatCrossesIt) {
  std::string text = PaddedDockerfile(kMaxDockerfileSize);
  ASSERT_GT(text.size(), kMaxDockerfileSize);
  auto ast = Parse(text, "Dockerfile");
  ASSERT_FALSE(ast);
  EXPECT_EQ(ast.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(ast.error().location().file, "Dockerfile");
  const auto head = std::string_view(text).substr(0, kMaxDockerfileSize);
  EXPECT_EQ(ast.error().location().line, 1 + std::count(head.begin(), head.end(), '\n'));
  EXPECT_TRUE(Mentions(ast.error(), "4 MiB")) << ast.error().ToString();

  ASSERT_TRUE(Parse(PaddedDockerfile(kMaxDockerfileSize - 2000), "Dockerfile"));
}

TEST(DockerfileLimitsTest, ParseFileStopsAtTheLimit) {
  testing::ScratchDir dir;
  testing::WriteTestFile(dir / "Dockerfile", PaddedDockerfile(kMaxDockerfileSize + (1 << 20)));
  auto ast = ParseFile(dir / "Dockerfile");
  ASSERT_FALSE(ast);
  EXPECT_EQ(ast.error().location().file, dir / "Dockerfile");
  EXPECT_TRUE(Mentions(ast.error(), "larger than")) << ast.error().ToString();
}

TEST(DockerfileLimitsTest, MoreInstructionsThanTheLimitAreRefusedAtTheFirstOneTooMany) {
  std::string text = "FROM scratch\n";
  for (size_t i = 1; i < kMaxInstructions; ++i) text += "ENV A=b\n";
  ASSERT_TRUE(Parse(text, "Dockerfile"));  // exactly the limit
  text += "LABEL too=many\n";
  auto ast = Parse(text, "Dockerfile");
  ASSERT_FALSE(ast);
  EXPECT_EQ(ast.error().location().line, static_cast<int>(kMaxInstructions) + 1);
  EXPECT_TRUE(Mentions(ast.error(), "instructions")) << ast.error().ToString();
}

TEST(ShellLexLimitsTest, DoublingAVariableStopsAtTheLimit) {
  // ENV C=$C$C, repeated: the step that would pass the limit is an error.
  VarMap env{{"C", std::string(kMaxExpandedWordSize / 2 + 1, 'c')}};
  auto doubled = ShellLex().ProcessWord("$C$C", env);
  ASSERT_FALSE(doubled);
  EXPECT_TRUE(Mentions(doubled.error(), "1 MiB")) << doubled.error().ToString().substr(0, 200);
  EXPECT_FALSE(ShellLex().ProcessWord("\"$C$C\"", env));
  EXPECT_FALSE(ShellLex().ProcessWords("$C$C", env));
  EXPECT_FALSE(ShellLex().ProcessWord("${C}x${C}", env));

  VarMap half{{"C", std::string(kMaxExpandedWordSize / 2, 'c')}};
  auto exact = ShellLex().ProcessWord("$C$C", half);
  ASSERT_TRUE(exact) << exact.error().ToString().substr(0, 200);
  EXPECT_EQ(exact->size(), kMaxExpandedWordSize);
}

TEST(ShellLexLimitsTest, ReplacingEveryCharacterWithALongWordStopsAtTheLimit) {
  // 2,000 characters each replaced by 1,000: 2 MB from two short variables.
  VarMap env{{"V", std::string(2000, 'v')}, {"R", std::string(1000, 'r')}};
  auto replaced = ShellLex().ProcessWord("${V//?/$R}", env);
  ASSERT_FALSE(replaced);
  EXPECT_TRUE(Mentions(replaced.error(), "1 MiB")) << replaced.error().ToString().substr(0, 200);
  auto small = ShellLex().ProcessWord("${V//?/r}", env);
  ASSERT_TRUE(small) << small.error().ToString();
  EXPECT_EQ(*small, std::string(2000, 'r'));
}

}  // namespace
}  // namespace plinth::dockerfile
