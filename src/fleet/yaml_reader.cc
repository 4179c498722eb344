#include "fleet/yaml_reader.h"

#include <set>

namespace plinth::fleet {

std::string DescribeType(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: {
      // Messages quote at most 60 bytes of a value (a hostile one may be megabytes).
      const std::string& v = node.Scalar();
      return "a scalar (\"" + (v.size() > 60 ? v.substr(0, 60) + "..." : v) + "\")";
    }
    case YAML::NodeType::Null: return "nothing";
    default: return "an undefined value";
  }
}

Location YamlReader::At(const YAML::Node& node) const {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return Location{file_, 0, 0};
  return Location{file_, mark.line + 1, mark.column + 1};
}

void YamlReader::Report(const YAML::Node& node, std::string message) const {
  problems_->Add(At(node), std::move(message));
}

bool YamlReader::ExpectMap(const YAML::Node& node, std::string_view what) const {
  if (node.IsMap() || node.IsNull()) return true;
  Report(node, std::string(what) + ": expected a map, found " + DescribeType(node));
  return false;
}

bool YamlReader::ExpectSequence(const YAML::Node& node, std::string_view what) const {
  if (node.IsSequence() || node.IsNull()) return true;
  Report(node, std::string(what) + ": expected a list, found " + DescribeType(node));
  return false;
}

void YamlReader::CheckKeys(const YAML::Node& map, const std::vector<std::string>& known,
                           std::string_view what) const {
  if (!map.IsMap()) return;
  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;  // a copy: it->first belongs to a temporary proxy
    if (!key.IsScalar()) {
      Report(key, std::string(what) + ": keys must be strings");
      continue;
    }
    const std::string& name = key.Scalar();
    if (!seen.insert(name).second)
      Report(key, std::string(what) + ": duplicate key \"" + name + "\"");
    if (known.empty()) continue;
    bool ok = false;
    for (const auto& k : known) ok = ok || k == name;
    if (ok) continue;
    std::string message = std::string(what) + ": unknown key \"" + name + "\"";
    if (std::string guess = DidYouMean(name, known); !guess.empty())
      message += "; did you mean \"" + guess + "\"?";
    Report(key, message);
  }
}

std::optional<std::string> YamlReader::String(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) return node.Scalar();
  Report(node, std::string(what) + ": expected a string, found " + DescribeType(node));
  return std::nullopt;
}

std::optional<int> YamlReader::Int(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (!s.empty() && end && *end == '\0' && v >= -1000000 && v <= 1000000) return static_cast<int>(v);
  }
  Report(node, std::string(what) + ": expected an integer, found " + DescribeType(node));
  return std::nullopt;
}

std::vector<std::string> YamlReader::Strings(const YAML::Node& node, std::string_view what,
                                             ScalarAsList accept) const {
  std::vector<std::string> out;
  if (node.IsScalar() && accept == ScalarAsList::kAccept) return {node.Scalar()};
  if (!ExpectSequence(node, what)) return out;
  for (const auto& item : node) {
    if (auto s = String(item, std::string(what) + " entry")) out.push_back(*s);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> YamlReader::StringPairs(
    const YAML::Node& node, std::string_view what) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!ExpectMap(node, what)) return out;
  CheckKeys(node, {}, what);
  for (auto& [k, v] : Entries(node)) {
    auto key = String(k, what);
    auto value = String(v, std::string(what) + " \"" + (key ? *key : "") + "\"");
    if (key && value) out.emplace_back(*key, *value);
  }
  return out;
}

std::vector<std::pair<YAML::Node, YAML::Node>> YamlReader::Entries(const YAML::Node& map) const {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  if (!map.IsMap()) return out;
  for (auto it = map.begin(); it != map.end(); ++it) out.emplace_back(it->first, it->second);
  return out;
}

}  // namespace plinth::fleet
