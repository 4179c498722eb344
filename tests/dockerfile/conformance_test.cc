// BuildKit's own parser test cases (tests/dockerfile/data/buildkit-parser): every `result`
// reproduced byte for byte, every negative case rejected, line bookkeeping and heredocs as
// BuildKit's tests expect. The data must be present: a missing folder fails, never skips.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "conformance_support.h"
#include "dockerfile/dump.h"
#include "dockerfile/heredoc.h"
#include "dockerfile/parser.h"

namespace plinth::dockerfile {
namespace {

using conformance::Dir;
using conformance::ReadFileOrDie;
using conformance::SubDirs;

TEST(ConformanceTest, DataIsPresent) {
  ASSERT_TRUE(std::filesystem::is_directory(Dir())) << Dir() << " is missing";
  EXPECT_EQ(SubDirs(Dir() + "/testfiles").size(), 33u);
  EXPECT_EQ(SubDirs(Dir() + "/testfiles-negative").size(), 4u);
}

TEST(ConformanceTest, EveryResultReproducedByteForByte) {
  auto cases = SubDirs(Dir() + "/testfiles");
  ASSERT_FALSE(cases.empty());
  for (const std::string& dir : cases) {
    SCOPED_TRACE(dir);
    std::string dockerfile = ReadFileOrDie(dir + "/Dockerfile");
    std::string expected = ReadFileOrDie(dir + "/result");
    auto ast = Parse(dockerfile, dir + "/Dockerfile");
    ASSERT_TRUE(ast.ok()) << ast.error().ToString();
    EXPECT_EQ(Dump(*ast), expected);
  }
}

TEST(ConformanceTest, EveryNegativeCaseRejected) {
  auto cases = SubDirs(Dir() + "/testfiles-negative");
  ASSERT_EQ(cases.size(), 4u);
  for (const std::string& dir : cases) {
    SCOPED_TRACE(dir);
    auto ast = Parse(ReadFileOrDie(dir + "/Dockerfile"), "Dockerfile");
    EXPECT_FALSE(ast.ok());
  }
}

TEST(ConformanceTest, InstructionLineRanges) {
  std::string dir = Dir() + "/testfile-line";
  auto ast = Parse(ReadFileOrDie(dir + "/Dockerfile"), "Dockerfile");
  ASSERT_TRUE(ast.ok()) << ast.error().ToString();
  std::istringstream expected(ReadFileOrDie(dir + "/expected-lines.txt"));
  std::string line;
  int checked = 0;
  while (std::getline(expected, line)) {
    std::istringstream words(line);
    std::string kind;
    words >> kind;
    if (kind == "root") {
      int start, end;
      words >> start >> end;
      EXPECT_EQ(ast->start_line, start);
      EXPECT_EQ(ast->end_line, end);
      ++checked;
    } else if (kind == "child") {
      size_t index;
      int start, end;
      words >> index >> start >> end;
      ASSERT_LE(index, ast->instructions.size());
      EXPECT_EQ(ast->instructions[index - 1].start_line, start) << line;
      EXPECT_EQ(ast->instructions[index - 1].end_line, end) << line;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4);
  EXPECT_EQ(ast->instructions.size(), 3u);
}

void CheckHeredocCase(const std::string& dir) {
  SCOPED_TRACE(dir);
  auto ast = Parse(ReadFileOrDie(dir + "/Dockerfile"), "Dockerfile");
  ASSERT_TRUE(ast.ok()) << ast.error().ToString();
  EXPECT_EQ(Dump(*ast), ReadFileOrDie(dir + "/result"));
  auto expected = nlohmann::json::parse(ReadFileOrDie(dir + "/expected-heredocs.json"));
  ASSERT_EQ(expected.size(), ast->instructions.size());
  for (const auto& e : expected) {
    size_t index = e["child_index"];
    const Node& node = ast->instructions.at(index);
    SCOPED_TRACE(e["instruction_line"].get<std::string>());
    EXPECT_EQ(node.original, e["instruction_line"].get<std::string>());
    if (e["heredocs"].is_null()) {
      EXPECT_TRUE(node.heredocs.empty());
      continue;
    }
    ASSERT_EQ(node.heredocs.size(), e["heredocs"].size());
    for (size_t i = 0; i < node.heredocs.size(); ++i) {
      const auto& h = e["heredocs"][i];
      EXPECT_EQ(node.heredocs[i].name, h["name"].get<std::string>());
      EXPECT_EQ(node.heredocs[i].content, h["content"].get<std::string>());
      EXPECT_EQ(node.heredocs[i].expand, h["expand"].get<bool>());
      EXPECT_EQ(node.heredocs[i].chomp, h["chomp"].get<bool>());
      EXPECT_EQ(node.heredocs[i].file_descriptor, h["file_descriptor"].get<unsigned>());
    }
  }
}

TEST(ConformanceTest, HeredocExtraction) { CheckHeredocCase(Dir() + "/heredoc/extracts"); }

TEST(ConformanceTest, JsonFormHasNoHeredocs) {
  CheckHeredocCase(Dir() + "/heredoc/json-no-heredoc");
}

TEST(ConformanceTest, HeredocWordCases) {
  auto cases = nlohmann::json::parse(ReadFileOrDie(Dir() + "/heredoc/heredoc-word-cases.json"));
  ASSERT_TRUE(cases.contains("ParseHeredoc_valid_name_EOF"));
  for (const auto& w : cases["ParseHeredoc_valid_name_EOF"]) {
    auto h = ParseHeredoc(w.get<std::string>());
    ASSERT_TRUE(h.ok()) << w;
    ASSERT_TRUE(h->has_value()) << w;
    EXPECT_EQ((*h)->name, "EOF") << w;
  }
  for (const auto& w : cases["ParseHeredoc_error"]) {
    EXPECT_FALSE(ParseHeredoc(w.get<std::string>()).ok()) << w;
  }
  for (const auto& w : cases["ParseHeredoc_not_a_heredoc"]) {
    auto h = ParseHeredoc(w.get<std::string>());
    ASSERT_TRUE(h.ok()) << w;
    EXPECT_FALSE(h->has_value()) << w;
  }
  for (const auto& c : cases["heredocsFromLine"]) {
    auto docs = HeredocsFromLine(c[0].get<std::string>());
    ASSERT_TRUE(docs.ok()) << c[0];
    std::vector<std::string> names;
    for (const Heredoc& h : *docs) names.push_back(h.name);
    EXPECT_EQ(names, c[1].get<std::vector<std::string>>()) << c[0];
  }
  for (const auto& c : cases["ChompHeredocContent"]) {
    EXPECT_EQ(ChompHeredocContent(c[0].get<std::string>()), c[1].get<std::string>());
  }
}

}  // namespace
}  // namespace plinth::dockerfile
