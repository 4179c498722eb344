// Where instructions are in a Dockerfile's text, and their text as a shell script whose
// offsets are the file's (see fix_rules.h).
#include <algorithm>

#include "lint/fix_rules.h"

namespace plinth::lint::fix {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Whether a line (without its newline) ends with a continuation: `\` then only blanks.
bool Continues(std::string_view line, size_t* backslash) {
  size_t end = line.size();
  while (end > 0 && IsBlank(line[end - 1])) --end;
  if (end == 0 || line[end - 1] != '\\') return false;
  *backslash = end - 1;
  return true;
}

}  // namespace

Source::Source(const std::string& text, const DockerfileView& v) : content(text), view(v) {
  line_starts.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') line_starts.push_back(i + 1);
  if (line_starts.back() != text.size()) line_starts.push_back(text.size());
}

size_t Source::Offset(const Location& where) const {
  size_t line = std::clamp<size_t>(where.line, 1, line_starts.size()) - 1;
  return std::min(content.size(), line_starts[line] + std::max(where.column, 1) - 1);
}

size_t Source::LineEnd(int line) const {
  size_t next = static_cast<size_t>(std::max(line, 1));
  size_t end = next < line_starts.size() ? line_starts[next] : content.size();
  if (end > 0 && end <= content.size() && content[end - 1] == '\n') --end;
  if (end > 0 && content[end - 1] == '\r') --end;
  return std::max(end, Offset({"", line, 1}));
}

ShellText ShellTextOf(const Source& source, const dockerfile::Instruction& ins) {
  ShellText out;
  out.begin = source.Offset(ins.location);
  size_t end = source.LineEnd(ins.end_line);
  if (end < source.content.size() && source.content[end] == '\r') ++end;
  out.text = source.content.substr(out.begin, end - out.begin);
  std::string& t = out.text;
  // The logical line: continuations written as the shell reads them; lines BuildKit skips
  // inside a continuation blanked with their newline. What follows (heredoc bodies) is kept.
  size_t at = 0;
  bool continuing = true;  // the first line is always part of it
  bool first = true;
  while (at < t.size() && continuing) {
    size_t nl = t.find('\n', at);
    size_t line_end = nl == std::string::npos ? t.size() : nl;
    std::string_view line(t.data() + at, line_end - at);
    size_t content_at = line.find_first_not_of(" \t\r");
    if (!first && (content_at == std::string_view::npos || line[content_at] == '#')) {
      std::fill(t.begin() + at, t.begin() + std::min(t.size(), line_end + 1), ' ');
      at = line_end + 1;
      continue;
    }
    first = false;
    size_t backslash = 0;
    continuing = Continues(line, &backslash) && nl != std::string::npos;
    if (continuing) {
      std::fill(t.begin() + at + backslash, t.begin() + line_end, ' ');
      t[line_end - 1] = '\\';
    }
    at = line_end + 1;
  }
  std::replace(t.begin(), t.end(), '\r', ' ');
  // The keyword and its flags.
  auto blank = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && i < t.size(); ++i)
      if (t[i] != '\n') t[i] = ' ';
  };
  size_t pos = 0;
  while (pos < t.size() && !IsBlank(t[pos]) && t[pos] != '\n' && t[pos] != '\\') ++pos;
  blank(0, pos);
  size_t flags = 0;  // only the instruction's own: `CMD --help` is a command
  for (;;) {
    while (pos < t.size() && (t[pos] == ' ' || t[pos] == '\t')) ++pos;
    if (pos + 1 < t.size() && t[pos] == '\\' && t[pos + 1] == '\n') {
      pos += 2;
      continue;
    }
    if (flags < ins.flags.size() && pos + 1 < t.size() && t[pos] == '-' && t[pos + 1] == '-') {
      ++flags;
      size_t flag_end = t.find_first_of(" \t\n", pos);
      if (flag_end == std::string::npos) flag_end = t.size();
      blank(pos, flag_end);
      pos = flag_end;
      continue;
    }
    break;
  }
  return out;
}

bool WordSpan(const ShellCommand& c, size_t index, size_t base, size_t* begin, size_t* end) {
  if (index >= c.begins.size() || c.begins[index] == ShellCommand::kUnknown ||
      c.ends[index] == ShellCommand::kUnknown)
    return false;
  *begin = base + c.begins[index];
  *end = base + c.ends[index];
  return true;
}

}  // namespace plinth::lint::fix
