#include "lint/lint_config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "fleet/problem_list.h"
#include "fleet/yaml_reader.h"
#include "util/ascii.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

constexpr uint64_t kMaxConfigBytes = 1 << 20;  // a hadolint config is a few lines

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> NamesOf(const Finding& f) {
  std::vector<std::string> names = f.aliases;
  names.push_back(f.code);
  return names;
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string t = AsciiLower(text);
  if (t == "true" || t == "yes" || t == "on" || t == "1") return true;
  if (t == "false" || t == "no" || t == "off" || t == "0" || t.empty()) return false;
  return std::nullopt;
}

std::optional<bool> ReadBool(const fleet::YamlReader& reader, const YAML::Node& v, const std::string& key) {
  auto s = reader.String(v, key);
  if (!s) return std::nullopt;
  auto b = ParseBool(*s);
  if (!b) reader.Report(v, key + ": expected true or false, found \"" + *s + "\"");
  return b;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    size_t a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
    start = comma + 1;
  }
  return out;
}

std::string Parent(const std::string& dir) {
  if (dir == "/" || dir.empty()) return "";
  auto slash = dir.find_last_of('/', dir.size() - 2);
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : dir.substr(0, slash);
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir.ends_with("/") ? dir + name : dir + "/" + name;
}

std::string FirstExisting(const std::vector<std::string>& paths) {
  for (const auto& p : paths)
    if (PathExists(p) && !IsDirectory(p)) return p;
  return "";
}

std::string DotHadolintIn(const std::string& dir) {
  return FirstExisting({Join(dir, ".hadolint.yaml"), Join(dir, ".hadolint.yml")});
}

}  // namespace

std::optional<LabelType> ParseLabelType(std::string_view name) {
  static const std::pair<const char*, LabelType> kTypes[] = {
      {"text", LabelType::kText},       {"url", LabelType::kUrl},       {"hash", LabelType::kHash},
      {"rfc3339", LabelType::kRfc3339}, {"semver", LabelType::kSemver}, {"spdx", LabelType::kSpdx},
      {"email", LabelType::kEmail}};
  for (const auto& [n, t] : kTypes)
    if (name == n) return t;
  return std::nullopt;
}

bool LintConfig::Mentions(const std::set<std::string>& set, const std::vector<std::string>& names) {
  for (const auto& entry : set)
    for (const auto& n : names)
      if (Upper(entry) == Upper(n)) return true;
  return false;
}

bool LintConfig::Ignores(const Finding& finding) const { return Mentions(ignored, NamesOf(finding)); }

Severity LintConfig::SeverityOf(const Finding& finding) const {
  for (const auto& [name, severity] : overrides) {
    if (Mentions({name}, NamesOf(finding))) return severity;
  }
  return finding.severity;
}

Result<LintConfig> ParseLintConfig(const std::string& content, const std::string& file) {
  LintConfig config;
  config.source = file;
  YAML::Node root;
  try {
    root = YAML::Load(content);
  } catch (const YAML::Exception& e) {
    return InvalidInput("reading lint configuration: " + e.msg,
                        Location{file, e.mark.line + 1, e.mark.column + 1});
  }
  fleet::ProblemList problems;
  fleet::YamlReader reader(file, &problems);
  if (root.IsNull()) return config;
  if (!reader.ExpectMap(root, file)) return problems.ToError();
  reader.CheckKeys(root, {"ignored", "trustedRegistries", "override", "failure-threshold",
                          "format", "no-fail", "no-color", "strict-labels", "label-schema",
                          "disable-ignore-pragma"},
                   ".hadolint.yaml");
  for (auto& [k, v] : reader.Entries(root)) {
    const std::string key = k.Scalar();
    if (key == "ignored") {
      for (const auto& s : reader.Strings(v, "ignored")) config.ignored.insert(s);
    } else if (key == "trustedRegistries") {
      config.trusted_registries = reader.Strings(v, "trustedRegistries");
    } else if (key == "override") {
      if (!reader.ExpectMap(v, "override")) continue;
      reader.CheckKeys(v, {"error", "warning", "info", "style"}, "override");
      for (auto& [sk, sv] : reader.Entries(v)) {
        auto severity = ParseSeverity(sk.Scalar());
        if (!severity) continue;
        for (const auto& s : reader.Strings(sv, "override " + sk.Scalar())) config.overrides[s] = *severity;
      }
    } else if (key == "failure-threshold") {
      if (auto s = reader.String(v, "failure-threshold")) {
        if (auto severity = ParseSeverity(*s)) config.failure_threshold = *severity;
        else reader.Report(v, "failure-threshold: expected error, warning, info, style, ignore or none, found \"" + *s + "\"");
      }
    } else if (key == "label-schema") {
      if (!reader.ExpectMap(v, "label-schema")) continue;
      for (auto& [lk, lv] : reader.Entries(v)) {
        auto type = reader.String(lv, "label-schema " + lk.Scalar());
        if (!type) continue;
        if (auto t = ParseLabelType(*type)) config.label_schema[lk.Scalar()] = *t;
        else reader.Report(lv, "label-schema " + lk.Scalar() +
                                   ": expected text, url, hash, rfc3339, semver, spdx or email, found \"" +
                                   *type + "\"");
      }
    } else if (key == "strict-labels") {
      if (auto b = ReadBool(reader, v, key)) config.strict_labels = *b;
    } else if (key == "disable-ignore-pragma") {
      if (auto b = ReadBool(reader, v, key)) config.disable_ignore_pragma = *b;
    } else if (key == "no-fail") {
      if (auto b = ReadBool(reader, v, key)) config.no_fail = *b;
    } else if (key == "no-color") {
      if (auto b = ReadBool(reader, v, key)) config.no_color = *b;
    } else if (key == "format") {
      if (auto s = reader.String(v, "format")) config.format = *s;
    }
  }
  if (!problems.empty()) return problems.ToError();
  return config;
}

GetEnv ProcessEnvironment() {
  return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

std::string FindLintConfigFile(const std::string& dockerfile_path, const GetEnv& env) {
  auto slash = dockerfile_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : dockerfile_path.substr(0, slash);
  if (dir.empty()) dir = "/";
  if (std::string found = DotHadolintIn(dir); !found.empty()) return found;
  // The repository root: the nearest folder, from the Dockerfile's up, that holds `.git`.
  std::error_code ec;
  std::string absolute = dir;
  if (!dir.starts_with("/")) {
    auto cwd = std::filesystem::current_path(ec);
    absolute = ec ? "" : (cwd / dir).lexically_normal().string();
    if (absolute.size() > 1 && absolute.ends_with("/")) absolute.pop_back();
  }
  for (std::string d = absolute; !d.empty(); d = Parent(d)) {
    if (PathExists(Join(d, ".git"))) {
      if (std::string found = DotHadolintIn(d); !found.empty()) return found;
      break;
    }
  }
  const char* xdg = env("XDG_CONFIG_HOME");
  const char* home = env("HOME");
  std::vector<std::string> candidates;
  if (xdg && *xdg) {
    candidates.push_back(Join(xdg, "hadolint.yaml"));
    candidates.push_back(Join(xdg, "hadolint.yml"));
  }
  if (home && *home) {
    for (const char* rel : {".config/hadolint.yaml", ".config/hadolint.yml", ".hadolint/hadolint.yaml",
                            ".hadolint/hadolint.yml", "hadolint/config.yaml", "hadolint/config.yml",
                            ".hadolint.yaml", ".hadolint.yml"})
      candidates.push_back(Join(home, rel));
  }
  return FirstExisting(candidates);
}

Status ApplyLintEnvironment(const GetEnv& env, LintConfig* config) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    const char* v = env(name);
    if (!v) return std::nullopt;
    return std::string(v);
  };
  auto boolean = [&](const char* name, bool* out) -> Status {
    auto v = get(name);
    if (!v) return Ok{};
    auto b = ParseBool(*v);
    if (!b) return InvalidInput(std::string(name) + ": expected true or false, found \"" + *v + "\"");
    *out = *b;
    return Ok{};
  };
  if (auto v = get("HADOLINT_IGNORE"))
    for (const auto& s : SplitList(*v)) config->ignored.insert(s);
  if (auto v = get("HADOLINT_TRUSTED_REGISTRIES"))
    for (const auto& s : SplitList(*v)) config->trusted_registries.push_back(s);
  for (auto [name, severity] : {std::pair{"HADOLINT_OVERRIDE_ERROR", Severity::kError},
                                {"HADOLINT_OVERRIDE_WARNING", Severity::kWarning},
                                {"HADOLINT_OVERRIDE_INFO", Severity::kInfo},
                                {"HADOLINT_OVERRIDE_STYLE", Severity::kStyle}}) {
    if (auto v = get(name))
      for (const auto& s : SplitList(*v)) config->overrides[s] = severity;
  }
  if (auto v = get("HADOLINT_REQUIRE_LABELS")) {
    for (const auto& item : SplitList(*v)) {
      auto colon = item.find(':');
      auto type = colon == std::string::npos ? std::nullopt : ParseLabelType(item.substr(colon + 1));
      if (!type)
        return InvalidInput("HADOLINT_REQUIRE_LABELS: expected label:type (text, url, hash, rfc3339, "
                            "semver, spdx or email), found \"" + item + "\"");
      config->label_schema[item.substr(0, colon)] = *type;
    }
  }
  if (auto v = get("HADOLINT_FAILURE_THRESHOLD")) {
    auto s = ParseSeverity(*v);
    if (!s)
      return InvalidInput("HADOLINT_FAILURE_THRESHOLD: expected error, warning, info, style, ignore or "
                          "none, found \"" + *v + "\"");
    config->failure_threshold = *s;
  }
  PLINTH_CHECK(boolean("HADOLINT_STRICT_LABELS", &config->strict_labels));
  PLINTH_CHECK(boolean("HADOLINT_DISABLE_IGNORE_PRAGMA", &config->disable_ignore_pragma));
  PLINTH_CHECK(boolean("HADOLINT_NOFAIL", &config->no_fail));
  if (auto v = get("HADOLINT_FORMAT"); v && !v->empty()) config->format = *v;
  if (auto v = get("NO_COLOR"); v && !v->empty()) config->no_color = true;
  return Ok{};
}

Result<LintConfig> LoadLintConfigFile(const std::string& path, const GetEnv& env) {
  auto content = ReadFileAtMost(path, kMaxConfigBytes);
  if (!content) return content.error().Context("reading lint configuration " + path);
  PLINTH_TRY(auto config, ParseLintConfig(*content, path));
  PLINTH_CHECK(ApplyLintEnvironment(env, &config));
  return config;
}

Result<LintConfig> LoadLintConfigFor(const std::string& dockerfile_path, const GetEnv& env) {
  std::string path = FindLintConfigFile(dockerfile_path, env);
  if (!path.empty()) return LoadLintConfigFile(path, env);
  LintConfig config;
  PLINTH_CHECK(ApplyLintEnvironment(env, &config));
  return config;
}

}  // namespace plinth::lint
