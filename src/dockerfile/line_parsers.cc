#include "dockerfile/line_parsers.h"

#include "dockerfile/json_array.h"
#include "dockerfile/text.h"
#include "util/ascii.h"

namespace plinth::dockerfile {
namespace {

constexpr int kMaxOnbuildDepth = 16;

// Go's regexp `[\t\v\f\r ]+` Split(s, n).
std::vector<std::string> SplitWhitespace(std::string_view s, size_t max_parts) {
  std::vector<std::string> parts;
  size_t start = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (parts.size() + 1 == max_parts) break;
    if (text::IsSplitSpace(s[i])) {
      size_t j = i;
      while (j < s.size() && text::IsSplitSpace(s[j])) ++j;
      parts.emplace_back(s.substr(start, i - start));
      start = j;
      i = j;
      continue;
    }
    ++i;
  }
  parts.emplace_back(s.substr(start));
  return parts;
}

// Appends byte b as Go's string(rune(b)) does: Latin-1 bytes become two-byte UTF-8.
void AppendByteRune(std::string& out, unsigned char b) { text::AppendRune(out, b); }

Status NotStringArray() {
  return InvalidInput("dockerfile: JSON arrays must contain only strings");
}

Status ParseStringsWhitespaceDelimited(std::string_view rest, Node* node) {
  if (rest.empty()) return Ok{};
  node->args = SplitWhitespace(rest, 0);
  return Ok{};
}

Status ParseMaybeJson(std::string_view rest, Node* node) {
  if (rest.empty()) return Ok{};
  switch (ParseJsonStringArray(rest, &node->args)) {
    case JsonArrayStatus::kOk:
      node->json = true;
      return Ok{};
    case JsonArrayStatus::kNotStringArray:
      return NotStringArray();
    case JsonArrayStatus::kNotJson:
      break;
  }
  node->args = {std::string(rest)};
  return Ok{};
}

Status ParseMaybeJsonToList(std::string_view rest, Node* node) {
  switch (ParseJsonStringArray(rest, &node->args)) {
    case JsonArrayStatus::kOk:
      node->json = true;
      return Ok{};
    case JsonArrayStatus::kNotStringArray:
      return NotStringArray();
    case JsonArrayStatus::kNotJson:
      break;
  }
  return ParseStringsWhitespaceDelimited(rest, node);
}

Status ParseNameVal(std::string_view rest, std::string_view key, char escape, Node* node) {
  std::vector<std::string> words = ParseWords(rest, escape);
  if (words.empty()) return Ok{};
  if (words[0].find('=') == std::string::npos) {
    std::vector<std::string> parts = SplitWhitespace(rest, 2);
    if (parts.size() < 2) return InvalidInput(std::string(key) + " must have two arguments");
    node->args = {parts[0], parts[1], ""};
    return Ok{};
  }
  for (const std::string& word : words) {
    size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return InvalidInput("Syntax error - can't find = in \"" + word +
                          "\". Must be of the form: name=value");
    }
    node->args.push_back(word.substr(0, eq));
    node->args.push_back(word.substr(eq + 1));
    node->args.push_back("=");
  }
  return Ok{};
}

Status ParseHealthConfig(std::string_view rest, char escape, Node* node) {
  size_t sep = 0;
  while (sep < rest.size() && !text::IsSpaceByte(rest[sep])) ++sep;
  size_t next = sep;
  while (next < rest.size() && text::IsSpaceByte(rest[next])) ++next;
  if (sep == 0) return Ok{};
  Node cmd;
  PLINTH_CHECK(ParseMaybeJson(rest.substr(next), &cmd));
  node->args.push_back(std::string(rest.substr(0, sep)));
  for (std::string& a : cmd.args) node->args.push_back(std::move(a));
  node->json = cmd.json;
  return Ok{};
}

Status ParseLineAtDepth(std::string_view line, char escape_token, Node* node, int depth);

}  // namespace

std::string_view ExtractBuilderFlags(std::string_view line, std::vector<std::string>* flags) {
  enum { kInSpaces, kInWord, kInQuote } phase = kInSpaces;
  std::string word;
  char quote = 0;
  bool blank_ok = false;
  unsigned char ch = 0;
  for (size_t pos = 0; pos <= line.size(); ++pos) {
    if (pos != line.size()) ch = static_cast<unsigned char>(line[pos]);
    if (phase == kInSpaces) {
      if (pos == line.size()) break;
      if (text::IsSpaceByte(ch)) continue;
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') return line.substr(pos);
      phase = kInWord;
    }
    if ((phase == kInWord || phase == kInQuote) && pos == line.size()) {
      if (word != "--" && (blank_ok || !word.empty())) flags->push_back(word);
      break;
    }
    if (phase == kInWord) {
      if (text::IsSpaceByte(ch)) {
        phase = kInSpaces;
        if (word == "--") return line.substr(pos);
        if (blank_ok || !word.empty()) flags->push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = static_cast<char>(ch);
        blank_ok = true;
        phase = kInQuote;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.size()) continue;
        ++pos;
        ch = static_cast<unsigned char>(line[pos]);
      }
      AppendByteRune(word, ch);
      continue;
    }
    if (phase == kInQuote) {
      if (ch == static_cast<unsigned char>(quote)) {
        phase = kInWord;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == line.size()) {
          phase = kInWord;
          continue;
        }
        ++pos;
        ch = static_cast<unsigned char>(line[pos]);
      }
      AppendByteRune(word, ch);
    }
  }
  return std::string_view();
}

std::vector<std::string> ParseWords(std::string_view rest, char escape_token) {
  enum { kInSpaces, kInWord, kInQuote } phase = kInSpaces;
  const char32_t escape = static_cast<unsigned char>(escape_token);
  std::vector<std::string> words;
  std::string word;
  char32_t quote = 0;
  bool blank_ok = false;
  char32_t ch = 0;
  size_t width = 0;
  for (size_t pos = 0; pos <= rest.size(); pos += width) {
    if (pos != rest.size()) {
      text::DecodedRune d = text::DecodeRune(rest, pos);
      ch = d.rune;
      width = d.width;
    }
    if (phase == kInSpaces) {
      if (pos == rest.size()) break;
      if (text::IsSpace(ch)) continue;
      phase = kInWord;
    }
    if ((phase == kInWord || phase == kInQuote) && pos == rest.size()) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == kInWord) {
      if (text::IsSpace(ch)) {
        phase = kInSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = kInQuote;
      }
      if (ch == escape) {
        if (pos + width == rest.size()) continue;
        text::AppendRune(word, ch);
        pos += width;
        text::DecodedRune d = text::DecodeRune(rest, pos);
        ch = d.rune;
        width = d.width;
      }
      text::AppendRune(word, ch);
      continue;
    }
    if (phase == kInQuote) {
      if (ch == quote) phase = kInWord;
      if (ch == escape && quote != '\'') {
        if (pos + width == rest.size()) {
          phase = kInWord;
          continue;
        }
        pos += width;
        text::AppendRune(word, ch);
        text::DecodedRune d = text::DecodeRune(rest, pos);
        ch = d.rune;
        width = d.width;
      }
      text::AppendRune(word, ch);
    }
  }
  return words;
}

namespace {

Status ParseLineAtDepth(std::string_view line, char escape_token, Node* node, int depth) {
  std::string_view trimmed = text::TrimSpace(line);
  size_t split = 0;
  while (split < trimmed.size() && !text::IsSplitSpace(trimmed[split])) ++split;
  node->keyword = std::string(trimmed.substr(0, split));
  node->original = std::string(line);
  std::string_view rest;
  if (split < trimmed.size()) {
    size_t args_start = split;
    while (args_start < trimmed.size() && text::IsSplitSpace(trimmed[args_start])) ++args_start;
    rest = ExtractBuilderFlags(trimmed.substr(args_start), &node->flags);
  }
  rest = text::TrimSpace(rest);

  std::string cmd = AsciiLower(node->keyword);
  if (cmd == "add" || cmd == "copy" || cmd == "volume") return ParseMaybeJsonToList(rest, node);
  if (cmd == "run" || cmd == "cmd" || cmd == "entrypoint" || cmd == "shell") {
    return ParseMaybeJson(rest, node);
  }
  if (cmd == "from" || cmd == "expose") return ParseStringsWhitespaceDelimited(rest, node);
  if (cmd == "env") return ParseNameVal(rest, "ENV", escape_token, node);
  if (cmd == "label") return ParseNameVal(rest, "LABEL", escape_token, node);
  if (cmd == "arg") {
    node->args = ParseWords(rest, escape_token);
    return Ok{};
  }
  if (cmd == "user" || cmd == "workdir" || cmd == "maintainer" || cmd == "stopsignal") {
    if (!rest.empty()) node->args = {std::string(rest)};
    return Ok{};
  }
  if (cmd == "healthcheck") return ParseHealthConfig(rest, escape_token, node);
  if (cmd == "onbuild") {
    if (rest.empty()) return Ok{};
    // BuildKit recurses without bound; chained ONBUILD is rejected later anyway, and a limit
    // keeps hostile input from exhausting the stack.
    if (depth >= kMaxOnbuildDepth) return InvalidInput("ONBUILD nested too deeply");
    Node child;
    PLINTH_CHECK(ParseLineAtDepth(rest, escape_token, &child, depth + 1));
    node->children.push_back(std::move(child));
    return Ok{};
  }
  node->args = {""};  // unknown instruction: accepted here, rejected by instructions.h
  return Ok{};
}

}  // namespace

Status ParseInstructionLine(std::string_view line, char escape_token, Node* node) {
  return ParseLineAtDepth(line, escape_token, node, 0);
}

}  // namespace plinth::dockerfile
