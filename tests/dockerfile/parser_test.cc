// Parser behaviour beyond BuildKit's own cases: positions, directives, continuations,
// heredocs, errors with FILE:LINE:COL.
#include "dockerfile/parser.h"

#include <gtest/gtest.h>

#include "dockerfile/dump.h"

namespace plinth::dockerfile {
namespace {

std::string DumpOf(const std::string& text) {
  auto ast = Parse(text, "Dockerfile");
  if (!ast) return "ERROR: " + ast.error().ToString();
  return Dump(*ast);
}

TEST(ParserTest, RecordsLinesAndColumns) {
  auto ast = Parse("FROM a\n\n  run echo \\\n    hi\nCOPY x y\n", "Dockerfile");
  ASSERT_TRUE(ast.ok());
  ASSERT_EQ(ast->instructions.size(), 3u);
  EXPECT_EQ(ast->instructions[1].start_line, 3);
  EXPECT_EQ(ast->instructions[1].end_line, 4);
  EXPECT_EQ(ast->instructions[1].column, 3);
  EXPECT_EQ(ast->instructions[1].keyword, "run");
  EXPECT_EQ(ast->instructions[1].args[0], "echo     hi");
}

TEST(ParserTest, DirectivesOnlyAtTheTop) {
  auto ast = Parse("# syntax=docker/dockerfile:1\n# ESCAPE = `\n# check=skip=all\nFROM a\n",
                   "Dockerfile");
  ASSERT_TRUE(ast.ok());
  ASSERT_EQ(ast->directives.size(), 3u);
  EXPECT_EQ(ast->directives[0].name, "syntax");
  EXPECT_EQ(ast->directives[0].value, "docker/dockerfile:1");
  EXPECT_EQ(ast->directives[2].value, "skip=all");
  EXPECT_EQ(ast->escape_token, '`');

  auto late = Parse("FROM a\n# escape=`\nRUN a \\\n b\n", "Dockerfile");
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->escape_token, '\\');
  EXPECT_TRUE(late->directives.empty());
}

TEST(ParserTest, RejectsRepeatedAndInvalidDirectives) {
  auto twice = Parse("# escape=`\n# escape=\\\nFROM a\n", "Dockerfile");
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().ToString(),
            "Dockerfile:2: only one escape parser directive can be used");
  EXPECT_FALSE(Parse("# escape=x\nFROM a\n", "Dockerfile").ok());
}

TEST(ParserTest, BacktickEscapeContinuesLines) {
  EXPECT_EQ(DumpOf("# escape=`\nFROM a\nRUN dir c:\\ `\n  /s\n"),
            "(from \"a\")\n(run \"dir c:\\\\   /s\")\n");
}

TEST(ParserTest, CommentsAndBlankLinesInsideContinuations) {
  auto ast = Parse("FROM a\nRUN a \\\n# note\n\n  && b\n", "Dockerfile");
  ASSERT_TRUE(ast.ok());
  EXPECT_EQ(Dump(*ast), "(from \"a\")\n(run \"a   && b\")\n");
  ASSERT_EQ(ast->warnings.size(), 1u);
}

TEST(ParserTest, HeredocsAcrossInstructions) {
  auto ast = Parse(
      "FROM a\nRUN <<EOF bash\nset -e\necho $X\nEOF\nCOPY <<-'A' <<B /dst/\n\tone\n\tA\ntwo\nB\n"
      "ONBUILD RUN <<X\nhi\nX\n",
      "Dockerfile");
  ASSERT_TRUE(ast.ok()) << ast.error().ToString();
  ASSERT_EQ(ast->instructions.size(), 4u);
  EXPECT_EQ(ast->instructions[1].heredocs[0].content, "set -e\necho $X\n");
  EXPECT_EQ(ast->instructions[1].end_line, 5);
  const auto& copy = ast->instructions[2].heredocs;
  ASSERT_EQ(copy.size(), 2u);
  EXPECT_FALSE(copy[0].expand);
  EXPECT_TRUE(copy[0].chomp);
  EXPECT_EQ(copy[1].content, "two\n");
  EXPECT_EQ(ast->instructions[3].heredocs.size(), 1u);
}

TEST(ParserTest, UnterminatedHeredocIsAnErrorAtTheInstruction) {
  auto ast = Parse("FROM a\n  RUN <<EOF\necho hi\n", "df");
  ASSERT_FALSE(ast.ok());
  EXPECT_EQ(ast.error().ToString(), "df:2:3: unterminated heredoc EOF");
}

TEST(ParserTest, ErrorsCarryFileLineColumn) {
  auto nested = Parse("FROM a\nCMD [\"a\", 1]\n", "x/Dockerfile");
  ASSERT_FALSE(nested.ok());
  EXPECT_EQ(nested.error().location().line, 2);
  EXPECT_EQ(nested.error().location().column, 1);
  EXPECT_EQ(nested.error().location().file, "x/Dockerfile");
  auto env = Parse("FROM a\nENV A=1 B\n", "Dockerfile");
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.error().message().find("can't find = in \"B\""), std::string::npos);
}

TEST(ParserTest, RejectsOverlongLines) {
  std::string line = "FROM a\nRUN " + std::string(70000, 'x') + "\n";
  EXPECT_FALSE(Parse(line, "Dockerfile").ok());
}

TEST(ParserTest, ExecFormAndFallbacks) {
  EXPECT_EQ(DumpOf("FROM a\nCMD [\"a\\u0041\", \"b\"]\nCMD ['x']\nENTRYPOINT [\"a\"] x\n"),
            "(from \"a\")\n(cmd \"aA\" \"b\")\n(cmd \"['x']\")\n(entrypoint \"[\\\"a\\\"] x\")\n");
}

TEST(ParserTest, UnknownInstructionsParseAndDumpEmpty) {
  EXPECT_EQ(DumpOf("FROM a\nFOO bar baz\n"), "(from \"a\")\n(foo \"\")\n");
}

TEST(ParserTest, CrlfAndBom) {
  EXPECT_EQ(DumpOf("\xEF\xBB\xBF" "FROM a\r\nRUN x \\\r\n  y\r\n"),
            "(from \"a\")\n(run \"x   y\")\n");
}

TEST(ParserTest, GoQuote) {
  EXPECT_EQ(GoQuote("a\"b\\c\t\n\x01\x7f\xff"), "\"a\\\"b\\\\c\\t\\n\\x01\\x7f\\xff\"");
  EXPECT_EQ(GoQuote("♥ 한국어"), "\"♥ 한국어\"");
  EXPECT_EQ(GoQuote("\xC2\xA0"), "\"\\u00a0\"");
}

}  // namespace
}  // namespace plinth::dockerfile
