#include "e2e/workflow_support.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace plinth::testing {
namespace {

std::string NameOf(const std::string& target) { return target.substr(0, target.rfind('@')); }

}  // namespace

std::vector<std::string> ShellWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<WorkflowJobInfo> ReadWorkflowJobs(const std::string& text) {
  std::vector<WorkflowJobInfo> jobs;
  YAML::Node workflow = YAML::Load(text);
  for (const auto& entry : workflow["jobs"]) {
    WorkflowJobInfo job;
    job.id = entry.first.as<std::string>();
    const YAML::Node& body = entry.second;
    if (body["needs"])
      for (const auto& n : body["needs"]) job.needs.push_back(n.as<std::string>());
    if (body["strategy"])
      for (const auto& p : body["strategy"]["matrix"]["platform"])
        job.platforms.push_back(p.as<std::string>());
    for (const auto& step : body["steps"])
      if (step["id"] && step["id"].as<std::string>() == "build")
        job.build_line = step["run"].as<std::string>(), job.build = ShellWords(job.build_line);
    if (job.build.size() < 2 || job.build[0] != "plinth") {
      ADD_FAILURE() << "job " << job.id << " has no `plinth build` step";
      continue;
    }
    size_t i = 1;
    while (i < job.build.size() && job.build[i] != "build") ++i;
    for (++i; i < job.build.size() && job.build[i].rfind("--", 0) != 0; ++i)
      job.images.push_back(job.build[i]);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<WorkflowJobInfo> InNeedsOrder(const std::vector<WorkflowJobInfo>& jobs) {
  std::vector<WorkflowJobInfo> order;
  std::set<std::string> done;
  while (order.size() < jobs.size()) {
    size_t before = order.size();
    for (const auto& job : jobs) {
      if (done.count(job.id)) continue;
      bool ready = true;
      for (const auto& n : job.needs) ready = ready && done.count(n);
      if (!ready) continue;
      order.push_back(job);
      done.insert(job.id);
    }
    if (order.size() == before) {
      ADD_FAILURE() << "the jobs' needs form a cycle or name a missing job";
      break;
    }
  }
  return order;
}

std::map<std::string, std::set<std::string>> PlanNameEdges(const std::string& plan_json) {
  std::map<std::string, std::set<std::string>> edges;
  nlohmann::json plan = nlohmann::json::parse(plan_json);
  for (const auto& t : plan["targets"]) {
    std::string name = NameOf(t["target"]);
    auto& needs = edges[name];
    for (const auto& n : t["needs"]) {
      std::string dep = NameOf(n["target"]);
      if (dep != name) needs.insert(dep);
    }
  }
  return edges;
}

}  // namespace plinth::testing
