// ShellLex against BuildKit's shell-lex cases (envVarTest, wordsTest) and the pattern
// modifiers (#, ##, %, %%, /, //) that those files predate.
#include "dockerfile/shell_lex.h"

#include <gtest/gtest.h>

#include <sstream>

#include "conformance_support.h"

namespace plinth::dockerfile {
namespace {

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

TEST(ShellLexTest, BuildKitEnvVarCases) {
  std::istringstream in(conformance::ReadFileOrDie(conformance::Dir() + "/shell-lex/envVarTest"));
  VarMap env{{"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}};
  ShellLex lex;
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (Trim(line).empty() || Trim(line)[0] == '#') continue;
    size_t p1 = line.find('|');
    size_t p2 = line.find('|', p1 + 1);
    ASSERT_NE(p2, std::string::npos) << line;
    std::string platform = Trim(line.substr(0, p1));
    std::string input = Trim(line.substr(p1 + 1, p2 - p1 - 1));
    std::string expected = Trim(line.substr(p2 + 1));
    if (platform == "W") continue;  // Windows-only case-insensitive names
    auto result = lex.ProcessWord(input, env);
    if (expected == "error") {
      EXPECT_FALSE(result.ok()) << input << " gave " << (result.ok() ? *result : "");
    } else {
      ASSERT_TRUE(result.ok()) << input << ": " << result.error().message();
      EXPECT_EQ(*result, expected) << input;
    }
    ++cases;
  }
  EXPECT_GT(cases, 200);
}

TEST(ShellLexTest, BuildKitWordsCases) {
  std::istringstream in(conformance::ReadFileOrDie(conformance::Dir() + "/shell-lex/wordsTest"));
  VarMap env;
  ShellLex lex;
  std::string line;
  int cases = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("ENV ", 0) == 0) {
      std::string kv = line.substr(3);
      kv.erase(0, kv.find_first_not_of(' '));
      size_t eq = kv.find('=');
      env.Set(kv.substr(0, eq), kv.substr(eq + 1));
      continue;
    }
    size_t bar = line.find('|');
    ASSERT_NE(bar, std::string::npos) << line;
    std::string input = Trim(line.substr(0, bar));
    std::string rhs = line.substr(bar + 1);
    rhs.erase(0, rhs.find_first_not_of(' '));
    std::vector<std::string> expected;
    std::stringstream ss(rhs);
    std::string w;
    while (std::getline(ss, w, ',')) expected.push_back(w);
    auto result = lex.ProcessWords(input, env);
    std::vector<std::string> got = result.ok() ? *result : std::vector<std::string>{"error"};
    EXPECT_EQ(got, expected) << input;
    ++cases;
  }
  EXPECT_GT(cases, 20);
}

struct PatternCase {
  std::string input;
  std::string expected;
};

TEST(ShellLexTest, PatternModifiers) {
  VarMap env{{"FILE", "archive.tar.gz"}, {"PATH_", "/usr/local/bin"}, {"V", "aaa-bbb-aaa"}};
  ShellLex lex;
  const PatternCase cases[] = {
      {"${FILE#*.}", "tar.gz"},       {"${FILE##*.}", "gz"},
      {"${FILE%.*}", "archive.tar"},  {"${FILE%%.*}", "archive"},
      {"${PATH_#/usr}", "/local/bin"}, {"${PATH_##*/}", "bin"},
      {"${V/aaa/x}", "x-bbb-aaa"},    {"${V//aaa/x}", "x-bbb-x"},
      {"${V/a?a/y}", "y-bbb-aaa"},    {"${V//-/_}", "aaa_bbb_aaa"},
      {"${V/zzz/y}", "aaa-bbb-aaa"},  {"${UNSET#x}", ""},
      {"${FILE#\\*}", "archive.tar.gz"}, {"${V%-*}", "aaa-bbb"},
      {"${V%%-*}", "aaa"},            {"${V/\\//x}", "aaa-bbb-aaa"},
  };
  for (const auto& c : cases) {
    auto r = lex.ProcessWord(c.input, env);
    ASSERT_TRUE(r.ok()) << c.input << ": " << r.error().message();
    EXPECT_EQ(*r, c.expected) << c.input;
  }
  EXPECT_FALSE(lex.ProcessWord("${FILE:#x}", env).ok());
  EXPECT_FALSE(lex.ProcessWord("${FILE#\\x}", env).ok());
  EXPECT_FALSE(lex.ProcessWord("${V/aaa", env).ok());
}

TEST(ShellLexTest, BacktickEscapeToken) {
  ShellLexOptions options;
  options.escape_token = '`';
  ShellLex lex(options);
  VarMap env{{"X", "1"}};
  EXPECT_EQ(*lex.ProcessWord("C:\\dir\\$X", env), "C:\\dir\\1");
  EXPECT_EQ(*lex.ProcessWord("`$X", env), "$X");
}

TEST(ShellLexTest, SkipUnsetEnvKeepsReferences) {
  ShellLexOptions options;
  options.skip_unset_env = true;
  ShellLex lex(options);
  VarMap env{{"A", "a"}};
  EXPECT_EQ(*lex.ProcessWord("$A $B ${C} ${D:-x}", env), "a $B ${C} ${D:-x}");
}

TEST(ShellLexTest, ReportsMatchedNames) {
  VarMap env{{"A", "a"}};
  auto e = ShellLex().Process("$A${B}", env);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->matched, std::set<std::string>{"A"});
  EXPECT_EQ(e->unmatched, std::set<std::string>{"B"});
}

}  // namespace
}  // namespace plinth::dockerfile
