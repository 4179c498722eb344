// Reading an emitted GitHub Actions workflow the way a runner would: its jobs, their `needs:`,
// their matrix of platforms and the `plinth build` command of their build step (the step with
// `id: build`), split into words as a POSIX shell would split that one line.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace plinth::testing {

struct WorkflowJobInfo {
  std::string id;
  std::vector<std::string> needs;
  std::vector<std::string> platforms;  // the matrix; empty for the job that joins indexes
  std::string build_line;          // the build step's `run:` as written
  std::vector<std::string> build;  // its words: "plinth", "build", NAME…, flags
  std::vector<std::string> images; // the names `plinth build` is given; empty: every image
};

// The jobs in file order; fails the calling test (ADD_FAILURE) on a malformed workflow.
std::vector<WorkflowJobInfo> ReadWorkflowJobs(const std::string& text);

// The jobs in an order where every job comes after the jobs it needs.
std::vector<WorkflowJobInfo> InNeedsOrder(const std::vector<WorkflowJobInfo>& jobs);

// Words of one shell command line: blanks split, single and double quotes group (a double-quoted
// "$NAME" and a bare $NAME are kept as written, for the caller to substitute).
std::vector<std::string> ShellWords(const std::string& line);

// `plinth plan --format json`'s edges between names (targets without their "@platform").
std::map<std::string, std::set<std::string>> PlanNameEdges(const std::string& plan_json);

}  // namespace plinth::testing
