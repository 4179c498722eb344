// `plinth emit github-actions`: a GitHub Actions workflow that builds the fleet on separate
// runners, written from the plan's DAG. Each job runs `plinth build` for its image (or its
// phase) on a matrix of platforms; its `needs:` are exactly the DAG's edges between jobs; the
// runners share the registry as their cache (`--push`/`--push-to` and `--cache-from`), so a
// job fetches what upstream jobs built instead of building it again.
#pragma once

#include <string>

#include "emit/image_graph.h"
#include "fleet/fleet.h"
#include "util/result.h"

namespace plinth::emit {

enum class JobLayout { kPerTarget, kPerPhase };

Result<JobLayout> ParseJobLayout(const std::string& text);

struct WorkflowOptions {
  JobLayout jobs = JobLayout::kPerTarget;
  // --registry: every image goes there under its own repository path (`build --push-to`);
  // empty: each image goes to the registry plinth.yaml names (`build --push`).
  std::string registry;
  // plinth.yaml relative to the repository root: its folder is the jobs' working directory.
  std::string fleet_file = "plinth.yaml";
  std::string plinth_version;  // the plinth the workflow installs
};

// The job that builds each image of `graph` (per-target: its own; per-phase: its phase's), and
// the job ids, in order. When an image has several platforms, a last job after all of them
// (no images, no matrix) runs `plinth build` of the whole fleet: every target is fetched from
// the registry cache, and the per-platform images are joined and pushed as OCI indexes, which
// no single-platform job can do.
struct WorkflowJob {
  std::string id;
  std::vector<std::string> images;     // names given to `plinth build`; empty: every image
  std::vector<std::string> platforms;  // the matrix; empty: every platform, in one run
  std::vector<std::string> needs;      // job ids
};
Result<std::vector<WorkflowJob>> WorkflowJobs(const ImageGraph& graph, JobLayout layout);

// The workflow's text: the same bytes for the same fleet, plan and options.
Result<std::string> GithubWorkflow(const fleet::Fleet& fleet, const ImageGraph& graph,
                                   const WorkflowOptions& options);

}  // namespace plinth::emit
