#include "dockerfile/parser.h"

#include <algorithm>
#include <fstream>

#include "dockerfile/heredoc.h"
#include "dockerfile/limits.h"
#include "dockerfile/line_parsers.h"
#include "dockerfile/text.h"
#include "util/ascii.h"

namespace plinth::dockerfile {
namespace {

constexpr size_t kMaxLineLength = 65535;

bool IsGoSpaceRe(char c) {  // RE2's \s
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool IsComment(std::string_view line) {
  line = text::TrimLeftSpace(line);
  return !line.empty() && line[0] == '#';
}

std::string_view TrimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The leading block of `# name=value` lines (BuildKit's DirectiveParser).
class DirectiveParser {
 public:
  // Looks at one line (newline trimmed); may change the escape token.
  Status ParseLine(std::string_view line, int line_number, Ast* ast) {
    if (done_) return Ok{};
    std::string name, value;
    if (!Match(line, &name, &value)) {
      done_ = true;
      return Ok{};
    }
    name = AsciiLower(name);
    if (name != "syntax" && name != "escape" && name != "check") {
      done_ = true;
      return Ok{};
    }
    for (const Directive& d : ast->directives) {
      if (d.name == name) return InvalidInput("only one " + name + " parser directive can be used");
    }
    if (name == "escape") {
      if (value != "`" && value != "\\") {
        return InvalidInput("invalid escape token '" + value + "' does not match ` or \\");
      }
      ast->escape_token = value[0];
    }
    ast->directives.push_back({name, value, line_number});
    return Ok{};
  }

 private:
  // ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
  static bool Match(std::string_view s, std::string* name, std::string* value) {
    if (s.empty() || s[0] != '#') return false;
    size_t i = 1;
    while (i < s.size() && IsGoSpaceRe(s[i])) ++i;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (i >= s.size() || !alpha(s[i])) return false;
    size_t start = i;
    while (i < s.size() && (alpha(s[i]) || digit(s[i]))) ++i;
    *name = std::string(s.substr(start, i - start));
    while (i < s.size() && IsGoSpaceRe(s[i])) ++i;
    if (i >= s.size() || s[i] != '=') return false;
    ++i;
    size_t ws_start = i;
    while (i < s.size() && IsGoSpaceRe(s[i])) ++i;
    size_t end = s.size();
    while (end > i && IsGoSpaceRe(s[end - 1])) --end;
    if (end > i) {
      *value = std::string(s.substr(i, end - i));
      return true;
    }
    if (i > ws_start) {  // only blanks after '=': the lazy (.+?) takes the last one
      *value = std::string(1, s[s.size() - 1]);
      return true;
    }
    return false;
  }

  bool done_ = false;
};

// The escape token as the last non-blank character, not itself escaped: strips it (and the
// blanks after it) and reports that the line continues.
bool TrimContinuation(std::string_view& line, char escape) {
  size_t end = line.size();
  while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  if (end == 0 || line[end - 1] != escape) return false;
  if (end >= 2 && line[end - 2] == escape) return false;
  line = line.substr(0, end - 1);
  return true;
}

class LineReader {
 public:
  explicit LineReader(std::string_view content) : content_(content) {}
  // The next physical line, newline included; false at the end.
  bool Next(std::string_view* line) {
    if (pos_ >= content_.size()) return false;
    size_t nl = content_.find('\n', pos_);
    size_t end = nl == std::string_view::npos ? content_.size() : nl + 1;
    *line = content_.substr(pos_, end - pos_);
    pos_ = end;
    return true;
  }

 private:
  std::string_view content_;
  size_t pos_ = 0;
};

Error At(const std::string& file, int line, int column, const std::string& message) {
  return InvalidInput(message, Location{file, line, column});
}

}  // namespace

Result<Ast> Parse(std::string_view content, const std::string& file) {
  Ast ast;
  ast.file = file;
  DirectiveParser directives;
  LineReader reader(content);
  int current_line = 0;
  std::vector<std::string> comments;
  std::string buf;
  std::string_view raw;

  if (content.size() > kMaxDockerfileSize) {
    // The line where the limit is crossed.
    const auto crossed = content.substr(0, kMaxDockerfileSize);
    const int line = 1 + static_cast<int>(std::count(crossed.begin(), crossed.end(), '\n'));
    return At(file, line, 0,
              "the Dockerfile is larger than " + std::to_string(kMaxDockerfileSize >> 20) +
                  " MiB, plinth's limit (see docs/dockerfile.md)");
  }

  // The line-length limit applies to every physical line, as bufio.Scanner's does.
  {
    size_t start = 0;
    int line_no = 1;
    while (start < content.size()) {
      size_t nl = content.find('\n', start);
      size_t len = (nl == std::string_view::npos ? content.size() : nl) - start;
      if (len > kMaxLineLength) {
        return At(file, line_no, 0,
                  "dockerfile line greater than max allowed size of 65535");
      }
      if (nl == std::string_view::npos) break;
      start = nl + 1;
      ++line_no;
    }
  }

  while (reader.Next(&raw)) {
    if (current_line == 0 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (IsComment(raw)) {
      std::string_view comment = text::TrimSpace(text::TrimLeftSpace(raw).substr(1));
      if (comment.empty()) {
        comments.clear();
      } else {
        comments.emplace_back(comment);
      }
    }
    std::string_view untrimmed = TrimNewline(raw);
    std::string_view token = text::TrimLeftSpace(untrimmed);
    int column = static_cast<int>(untrimmed.size() - token.size()) + 1;
    if (auto s = directives.ParseLine(token, current_line + 1, &ast); !s) {
      return At(file, current_line + 1, 0, s.error().message());
    }
    if (IsComment(token)) token = {};
    ++current_line;
    const int start_line = current_line;
    bool continues = TrimContinuation(token, ast.escape_token);
    if (!continues && token.empty()) continue;
    buf.assign(token);

    bool has_empty_continuation = false;
    while (continues && reader.Next(&raw)) {
      std::string_view line = TrimNewline(raw);
      if (auto s = directives.ParseLine(line, current_line + 1, &ast); !s) {
        return At(file, current_line + 1, 0, s.error().message());
      }
      ++current_line;
      if (IsComment(line)) continue;
      if (text::TrimLeftSpace(line).empty()) {
        has_empty_continuation = true;
        continue;
      }
      continues = TrimContinuation(line, ast.escape_token);
      buf.append(line);
    }
    if (has_empty_continuation) {
      ast.warnings.push_back({"Empty continuation line found in: " + buf, current_line});
    }

    if (ast.instructions.size() >= kMaxInstructions) {
      return At(file, start_line, column,
                "more than " + std::to_string(kMaxInstructions) +
                    " instructions, plinth's limit per Dockerfile (see docs/dockerfile.md)");
    }
    Node node;
    if (auto s = ParseInstructionLine(buf, ast.escape_token, &node); !s) {
      return At(file, start_line, column, s.error().message());
    }
    node.comments = std::move(comments);
    comments.clear();

    const Node* target = &node;
    if (AsciiLower(node.keyword) == "onbuild" && !node.children.empty()) {
      target = &node.children[0];
    }
    std::string kw = AsciiLower(target->keyword);
    bool can_heredoc = (kw == "run" || kw == "copy" || kw == "add") && !target->json;
    if (can_heredoc && buf.find("<<") != std::string::npos) {
      auto heredocs = HeredocsFromLine(buf);
      if (!heredocs) return At(file, start_line, column, heredocs.error().message());
      for (Heredoc& h : *heredocs) {
        bool terminated = false;
        while (reader.Next(&raw)) {
          ++current_line;
          std::string_view candidate = TrimNewline(raw);
          if (h.chomp) {
            while (!candidate.empty() && candidate[0] == '\t') candidate.remove_prefix(1);
          }
          if (candidate == h.name) {
            terminated = true;
            break;
          }
          h.content.append(raw);
        }
        if (!terminated) {
          return At(file, start_line, column, "unterminated heredoc " + h.name);
        }
        node.heredocs.push_back(std::move(h));
      }
    }

    node.start_line = start_line;
    node.end_line = current_line;
    node.column = column;
    if (ast.instructions.empty()) ast.start_line = start_line;
    ast.end_line = current_line;
    ast.instructions.push_back(std::move(node));
  }

  if (ast.instructions.empty()) {
    return At(file, current_line, 0, "file with no instructions");
  }
  return ast;
}

Result<Ast> ParseFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("reading Dockerfile: cannot open " + path, Location{path});
  // One byte past the limit is enough for Parse to refuse the file: no more is read.
  std::string content(kMaxDockerfileSize + 1, '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (in.bad()) return IoError("reading Dockerfile " + path, Location{path});
  content.resize(static_cast<size_t>(in.gcount()));
  return Parse(content, path);
}

}  // namespace plinth::dockerfile
