#include "debian/control_file.h"

#include <strings.h>

#include <charconv>
#include <sstream>

namespace plinth::debian {

std::optional<std::string_view> ControlParagraph::Get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0)
      return std::string_view(v);
  }
  return std::nullopt;
}

int ControlParagraph::LineOf(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    const std::string& k = fields_[i].first;
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0)
      return lines_[i] > 0 ? lines_[i] : line;
  }
  return line;
}

Result<uint64_t> ControlParagraph::GetUnsigned(std::string_view name, const std::string& file,
                                               uint64_t fallback) const {
  auto value = Get(name);
  if (!value) return fallback;
  if (auto n = ParseDecimalU64(*value)) return *n;
  return InvalidInput(std::string(name) + ": expected a decimal number below 2^64, found '" +
                          std::string(value->substr(0, 40)) + (value->size() > 40 ? "...'" : "'"),
                      {file, LineOf(name), 1});
}

std::optional<uint64_t> ParseDecimalU64(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, 10);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return out;
}

std::string ControlParagraph::GetOr(std::string_view name, std::string_view fallback) const {
  auto v = Get(name);
  return std::string(v ? *v : fallback);
}

std::string ControlParagraph::ToString() const {
  std::string out;
  for (const auto& [k, v] : fields_) {
    out += k;
    out += ':';
    size_t start = 0;
    bool first = true;
    while (start <= v.size()) {
      size_t nl = v.find('\n', start);
      if (nl == std::string::npos) nl = v.size();
      std::string_view line(v.data() + start, nl - start);
      if (first) {
        if (!line.empty()) out += ' ';
        out += line;
      } else {
        out += ' ';
        out += line.empty() ? "." : line;
      }
      out += '\n';
      first = false;
      start = nl + 1;
    }
  }
  return out;
}

Status ForEachParagraph(std::istream& in, const std::string& file,
                        const std::function<Status(ControlParagraph&&)>& visit) {
  ControlParagraph current;
  std::string line;
  int lineno = 0;
  auto flush = [&]() -> Status {
    if (current.empty()) return Ok{};
    ControlParagraph done = std::move(current);
    current = ControlParagraph();
    return visit(std::move(done));
  };
  // Values of the current field accumulate here until the next field starts.
  std::string name, value;
  bool in_field = false;
  int field_line = 0;
  auto end_field = [&] {
    if (in_field) current.Add(std::move(name), std::move(value), field_line);
    name.clear();
    value.clear();
    in_field = false;
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    bool blank = line.find_first_not_of(" \t") == std::string::npos;
    if (blank) {
      end_field();
      PLINTH_CHECK(flush());
      continue;
    }
    if (line[0] == '#') continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (!in_field)
        return InvalidInput("continuation line without a field", {file, lineno, 1});
      size_t start = line.find_first_not_of(" \t");
      std::string_view text(line.data() + start, line.size() - start);
      value += '\n';
      if (text != ".") value += text;
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos || colon == 0)
      return InvalidInput("expected 'Field: value', got '" + line.substr(0, 60) + "'",
                          {file, lineno, 1});
    end_field();
    if (current.empty()) current.line = lineno;
    name = line.substr(0, colon);
    field_line = lineno;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    value = start == std::string::npos ? "" : line.substr(start);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    in_field = true;
  }
  end_field();
  return flush();
}

Result<std::vector<ControlParagraph>> ParseControl(std::string_view text,
                                                   const std::string& file) {
  std::istringstream in{std::string(text)};
  std::vector<ControlParagraph> out;
  PLINTH_CHECK(ForEachParagraph(in, file, [&](ControlParagraph&& p) -> Status {
    out.push_back(std::move(p));
    return Ok{};
  }));
  return out;
}

}  // namespace plinth::debian
