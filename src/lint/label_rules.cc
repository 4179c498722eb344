// hadolint's label rules: DL3048 on every LABEL; with `label-schema` set, DL3049 (a stage
// without a required label, unless a labelled stage is its base or it is only a COPY --from
// source), DL3050 (`strict-labels`), DL3051 (empty) and DL3052-DL3058 (values of the schema's
// types). Values are checked as written, quotes removed; a value with `$` is not checked, as it
// is only known at build time.
#include <cctype>
#include <set>

#include "lint/instruction_rules.h"

namespace plinth::lint {
namespace {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

std::string Unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!IsDigit(c)) return false;
  return true;
}

bool IsValidLabelKey(const std::string& key) {
  if (key.empty() || !IsLower(key.front())) return false;
  if (!IsLower(key.back()) && !IsDigit(key.back())) return false;
  for (char c : key)
    if (!IsLower(c) && !IsDigit(c) && c != '.' && c != '-') return false;
  for (const char* reserved : {"com.docker.", "io.docker.", "org.dockerproject."})
    if (key.starts_with(reserved)) return false;
  return key.find("..") == std::string::npos && key.find("--") == std::string::npos;
}

bool IsUrl(const std::string& v) {
  auto colon = v.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(v[0])))
    return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}' || c >= 0x7f)
      return false;
  return colon + 1 < v.size();
}

// Two digits at `at`, within [lo, hi].
bool Digits2(const std::string& s, size_t at, int lo, int hi) {
  if (at + 2 > s.size() || !IsDigit(s[at]) || !IsDigit(s[at + 1])) return false;
  int n = (s[at] - '0') * 10 + (s[at + 1] - '0');
  return n >= lo && n <= hi;
}

bool IsRfc3339(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  if (s.size() < 20 || !AllDigits(s.substr(0, 4)) || s[4] != '-' || !Digits2(s, 5, 1, 12) ||
      s[7] != '-' || !Digits2(s, 8, 1, 31) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits2(s, 11, 0, 23) || s[13] != ':' || !Digits2(s, 14, 0, 59) || s[16] != ':' ||
      !Digits2(s, 17, 0, 60))
    return false;
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    size_t start = ++at;
    while (at < s.size() && IsDigit(s[at])) ++at;
    if (at == start) return false;
  }
  std::string zone = s.substr(at);
  if (zone == "Z" || zone == "z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && Digits2(zone, 1, 0, 23) &&
         zone[3] == ':' && Digits2(zone, 4, 0, 59);
}

bool IsGitHash(const std::string& s) {
  if (s.size() != 40 && s.size() != 7) return false;
  for (unsigned char c : s)
    if (!std::isxdigit(c)) return false;
  return true;
}

bool IsIdentifierList(const std::string& s, bool allow_leading_zero) {
  if (s.empty()) return false;
  size_t start = 0;
  while (start <= s.size()) {
    size_t dot = s.find('.', start);
    if (dot == std::string::npos) dot = s.size();
    std::string part = s.substr(start, dot - start);
    if (part.empty()) return false;
    for (unsigned char c : part)
      if (!std::isalnum(c) && c != '-') return false;
    if (!allow_leading_zero && AllDigits(part) && part.size() > 1 && part[0] == '0') return false;
    start = dot + 1;
  }
  return true;
}

bool IsSemver(const std::string& s) {
  std::string core = s.substr(0, s.find_first_of("-+"));
  std::string rest = s.substr(core.size());
  int parts = 0;
  size_t start = 0;
  while (start <= core.size()) {
    size_t dot = core.find('.', start);
    if (dot == std::string::npos) dot = core.size();
    std::string n = core.substr(start, dot - start);
    if (!AllDigits(n) || (n.size() > 1 && n[0] == '0')) return false;
    ++parts;
    start = dot + 1;
  }
  if (parts != 3) return false;
  std::string pre, build;
  if (rest.starts_with("-")) {
    auto plus = rest.find('+');
    pre = rest.substr(1, plus == std::string::npos ? std::string::npos : plus - 1);
    if (!IsIdentifierList(pre, false)) return false;
    rest = plus == std::string::npos ? "" : rest.substr(plus);
  }
  if (rest.starts_with("+")) return IsIdentifierList(rest.substr(1), true);
  return rest.empty();
}

bool IsEmail(const std::string& s) {
  auto at = s.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 >= s.size()) return false;
  std::string local = s.substr(0, at), domain = s.substr(at + 1);
  const std::string special = "!#$%&'*+/=?^_`{|}~.-";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
    return false;
  for (unsigned char c : local)
    if (!std::isalnum(c) && special.find(static_cast<char>(c)) == std::string::npos) return false;
  if (domain.front() == '[' && domain.back() == ']') return domain.size() > 2;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    if (dot == std::string::npos) dot = domain.size();
    std::string label = domain.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (unsigned char c : label)
      if (!std::isalnum(c) && c != '-') return false;
    start = dot + 1;
  }
  return true;
}

// SPDX license identifiers in common use in images (the SPDX list's most used entries); with
// LicenseRef-*, `+` and AND/OR/WITH expressions. A rare identifier outside this list is
// reported; list it in `ignored` or give it as LicenseRef-.
const std::set<std::string>& SpdxIds() {
  static const std::set<std::string> kIds = {"0BSD",
                                             "AFL-3.0",
                                             "AGPL-1.0",
                                             "AGPL-3.0",
                                             "AGPL-3.0-only",
                                             "AGPL-3.0-or-later",
                                             "Apache-1.0",
                                             "Apache-1.1",
                                             "Apache-2.0",
                                             "APSL-2.0",
                                             "Artistic-1.0",
                                             "Artistic-2.0",
                                             "BlueOak-1.0.0",
                                             "BSD-1-Clause",
                                             "BSD-2-Clause",
                                             "BSD-2-Clause-Patent",
                                             "BSD-3-Clause",
                                             "BSD-3-Clause-Clear",
                                             "BSD-4-Clause",
                                             "BSL-1.0",
                                             "BUSL-1.1",
                                             "bzip2-1.0.6",
                                             "CC-BY-3.0",
                                             "CC-BY-4.0",
                                             "CC-BY-SA-3.0",
                                             "CC-BY-SA-4.0",
                                             "CC0-1.0",
                                             "CDDL-1.0",
                                             "CDDL-1.1",
                                             "CECILL-2.1",
                                             "CPL-1.0",
                                             "curl",
                                             "ECL-2.0",
                                             "EFL-2.0",
                                             "EPL-1.0",
                                             "EPL-2.0",
                                             "EUPL-1.1",
                                             "EUPL-1.2",
                                             "FTL",
                                             "GFDL-1.3",
                                             "GFDL-1.3-only",
                                             "GFDL-1.3-or-later",
                                             "GPL-1.0",
                                             "GPL-1.0-only",
                                             "GPL-1.0-or-later",
                                             "GPL-2.0",
                                             "GPL-2.0-only",
                                             "GPL-2.0-or-later",
                                             "GPL-3.0",
                                             "GPL-3.0-only",
                                             "GPL-3.0-or-later",
                                             "GPL-2.0-with-classpath-exception",
                                             "ICU",
                                             "IJG",
                                             "ImageMagick",
                                             "IPL-1.0",
                                             "ISC",
                                             "LGPL-2.0",
                                             "LGPL-2.0-only",
                                             "LGPL-2.0-or-later",
                                             "LGPL-2.1",
                                             "LGPL-2.1-only",
                                             "LGPL-2.1-or-later",
                                             "LGPL-3.0",
                                             "LGPL-3.0-only",
                                             "LGPL-3.0-or-later",
                                             "Libpng",
                                             "libtiff",
                                             "LPL-1.02",
                                             "LPPL-1.3c",
                                             "MIT",
                                             "MIT-0",
                                             "MPL-1.0",
                                             "MPL-1.1",
                                             "MPL-2.0",
                                             "MPL-2.0-no-copyleft-exception",
                                             "MS-PL",
                                             "MS-RL",
                                             "NCSA",
                                             "OFL-1.1",
                                             "OpenSSL",
                                             "OSL-3.0",
                                             "PHP-3.0",
                                             "PHP-3.01",
                                             "PostgreSQL",
                                             "PSF-2.0",
                                             "Python-2.0",
                                             "Ruby",
                                             "SSPL-1.0",
                                             "Unicode-DFS-2016",
                                             "Unlicense",
                                             "UPL-1.0",
                                             "Vim",
                                             "W3C",
                                             "WTFPL",
                                             "X11",
                                             "Zlib",
                                             "ZPL-2.0",
                                             "ZPL-2.1"};
  return kIds;
}

bool IsSpdxId(std::string id) {
  if (id.ends_with("+")) id.pop_back();
  if (id.starts_with("LicenseRef-") || id.starts_with("DocumentRef-")) return id.size() > 11;
  for (const auto& known : SpdxIds()) {
    if (known.size() != id.size()) continue;
    bool same = true;
    for (size_t i = 0; i < id.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(known[i])) ==
             std::tolower(static_cast<unsigned char>(id[i]));
    if (same) return true;
  }
  return false;
}

bool IsSpdxExpression(const std::string& s) {
  std::vector<std::string> tokens;
  std::string word;
  for (char c : s) {
    if (c == '(' || c == ')' || c == ' ' || c == '\t') {
      if (!word.empty()) tokens.push_back(word);
      word.clear();
      if (c == '(' || c == ')') tokens.push_back(std::string(1, c));
    } else {
      word += c;
    }
  }
  if (!word.empty()) tokens.push_back(word);
  // operand (op operand)*, parentheses balanced; `WITH` takes an exception name.
  int depth = 0;
  bool want_operand = true;
  bool after_with = false;
  for (const auto& t : tokens) {
    if (t == "(") {
      if (!want_operand) return false;
      ++depth;
    } else if (t == ")") {
      if (want_operand || --depth < 0) return false;
    } else if (t == "AND" || t == "OR" || t == "WITH") {
      if (want_operand) return false;
      want_operand = true;
      after_with = t == "WITH";
    } else {
      if (!want_operand) return false;
      if (!after_with && !IsSpdxId(t)) return false;
      want_operand = false;
      after_with = false;
    }
  }
  return !tokens.empty() && !want_operand && depth == 0;
}

struct TypeRule {
  LabelType type;
  const char* code;
  const char* what;
};
constexpr TypeRule kTypeRules[] = {
    {LabelType::kUrl, "PL304", "is not a valid URL"},
    {LabelType::kRfc3339, "PL305", "is not a valid RFC 3339 time"},
    {LabelType::kSpdx, "PL306", "is not a valid SPDX license identifier"},
    {LabelType::kHash, "PL307", "is not a valid git hash"},
    {LabelType::kSemver, "PL308", "does not conform to semantic versioning"},
    {LabelType::kEmail, "PL309", "is not a valid RFC 5322 email address"},
};

void CheckLabel(RuleContext& c, const Instruction& ins) {
  const auto& schema = c.config().label_schema;
  for (const auto& kv : ins.pairs) {
    if (!IsValidLabelKey(Unquote(kv.key))) {
      c.Report("PL300", ins.location, "Invalid label key (" + Unquote(kv.key) + ")",
               "use lower-case reverse-DNS keys such as org.opencontainers.image.title");
      break;
    }
  }
  if (schema.empty()) return;
  if (c.config().strict_labels) {
    for (const auto& kv : ins.pairs) {
      if (!schema.count(Unquote(kv.key))) {
        c.Report("PL302", ins.location, "Superfluous label(s) present (" + Unquote(kv.key) + ")",
                 "remove labels the label schema does not name, or add them to it");
        break;
      }
    }
  }
  for (const auto& kv : ins.pairs) {
    auto it = schema.find(Unquote(kv.key));
    if (it != schema.end() && Unquote(kv.value).empty()) {
      c.Report("PL303", ins.location, "Label `" + it->first + "` is empty", "give it a value");
      break;
    }
  }
  for (const auto& rule : kTypeRules) {
    for (const auto& kv : ins.pairs) {
      auto it = schema.find(Unquote(kv.key));
      std::string value = Unquote(kv.value);
      if (it == schema.end() || it->second != rule.type || value.empty() ||
          value.find('$') != std::string::npos || IsValidLabelValue(rule.type, value))
        continue;
      c.Report(rule.code, ins.location,
               "Label `" + it->first + "` " + rule.what + " (" + value + ")");
      break;
    }
  }
}

void CheckMissingLabels(RuleContext& c) {  // DL3049
  const auto& view = c.view();
  for (const auto& [label, type] : c.config().label_schema) {
    std::vector<bool> good(view.stages.size(), false);
    std::set<std::string> copied_from;  // stage names used by a later COPY --from
    for (const auto& stage : view.stages) {
      bool has = stage.parent >= 0 && good[stage.parent];
      for (const auto& ins : stage.instructions) {
        if (ins.kind == InstructionKind::kCopy && !ins.copy.from.empty())
          copied_from.insert(Unquote(ins.copy.from));
        if (ins.kind != InstructionKind::kLabel) continue;
        for (const auto& kv : ins.pairs) has = has || Unquote(kv.key) == label;
      }
      good[stage.index] = has;
    }
    for (const auto& stage : view.stages) {
      if (!stage.from || good[stage.index]) continue;
      if (!stage.name.empty() && copied_from.count(stage.name)) continue;
      c.Report("PL301", stage.from->location, "Label `" + label + "` is missing",
               "add LABEL " + label + "=… to this stage");
    }
  }
}

}  // namespace

bool IsValidLabelValue(LabelType type, const std::string& value) {
  switch (type) {
    case LabelType::kText:
      return true;
    case LabelType::kUrl:
      return IsUrl(value);
    case LabelType::kHash:
      return IsGitHash(value);
    case LabelType::kRfc3339:
      return IsRfc3339(value);
    case LabelType::kSemver:
      return IsSemver(value);
    case LabelType::kSpdx:
      return IsSpdxExpression(value);
    case LabelType::kEmail:
      return IsEmail(value);
  }
  return true;
}

void CheckLabelRules(RuleContext& c) {
  for (const auto& stage : c.view().stages)
    for (const auto& ins : stage.instructions)
      if (ins.kind == InstructionKind::kLabel) CheckLabel(c, ins);
  if (!c.config().label_schema.empty()) CheckMissingLabels(c);
}

}  // namespace plinth::lint
