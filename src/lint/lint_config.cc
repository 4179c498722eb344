#include "lint/lint_config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

#include "fleet/problem_list.h"
#include "fleet/yaml_reader.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> NamesOf(const Finding& f) {
  std::vector<std::string> names = f.aliases;
  names.push_back(f.code);
  return names;
}

}  // namespace

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
    }
  }
  if (!problems.empty()) return problems.ToError();
  return config;
}

Result<LintConfig> LoadLintConfigFor(const std::string& dockerfile_path) {
  auto slash = dockerfile_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : dockerfile_path.substr(0, slash);
  if (dir.empty()) dir = "/";
  for (const char* name : {".hadolint.yaml", ".hadolint.yml"}) {
    std::string path = dir + "/" + name;
    if (!PathExists(path)) continue;
    PLINTH_TRY(auto content, ReadFile(path));
    return ParseLintConfig(content, path);
  }
  return LintConfig{};
}

}  // namespace plinth::lint
