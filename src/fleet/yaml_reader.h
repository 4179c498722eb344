// YamlReader: typed access to a yaml-cpp document that records, instead of throwing, every
// problem at FILE:LINE:COL (yaml-cpp marks are 0-based; locations here are 1-based). Unknown
// keys are reported with the nearest known key as a did-you-mean, duplicate keys as such.
// Internal to the manifest loader.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fleet/problem_list.h"

namespace plinth::fleet {

class YamlReader {
 public:
  YamlReader(std::string file, ProblemList* problems) : file_(std::move(file)), problems_(problems) {}

  Location At(const YAML::Node& node) const;
  void Report(const YAML::Node& node, std::string message) const;

  // Null counts as an empty map/sequence; anything else of the wrong type is reported.
  bool ExpectMap(const YAML::Node& node, std::string_view what) const;
  bool ExpectSequence(const YAML::Node& node, std::string_view what) const;
  // Reports keys not in `known` (with a did-you-mean) and keys given twice.
  void CheckKeys(const YAML::Node& map, const std::vector<std::string>& known,
                 std::string_view what) const;

  std::optional<std::string> String(const YAML::Node& node, std::string_view what) const;
  std::optional<int> Int(const YAML::Node& node, std::string_view what) const;
  // A sequence of strings; a single string is accepted as a one-element list when
  // `accept_scalar` is set.
  enum class ScalarAsList { kReject, kAccept };
  std::vector<std::string> Strings(const YAML::Node& node, std::string_view what,
                                   ScalarAsList accept = ScalarAsList::kReject) const;
  // A map of scalars to scalars, in document order (build args, environment).
  std::vector<std::pair<std::string, std::string>> StringPairs(const YAML::Node& node,
                                                               std::string_view what) const;
  // Map entries as (key node, value node) in document order.
  std::vector<std::pair<YAML::Node, YAML::Node>> Entries(const YAML::Node& map) const;

 private:
  std::string file_;
  ProblemList* problems_;
};

// "a map", "a list", "a string": the type of a node as a user would name it.
std::string DescribeType(const YAML::Node& node);

}  // namespace plinth::fleet
