// The scale-out path of `plinth emit github-actions`, played as separate runners would play it:
// the emitted workflow is parsed, and each job's build step runs, for each platform of its
// matrix, in `needs:` order, in a checkout, store, HOME and temp folder of its own, sharing
// only a real docker-registry. Every job builds its own target and fetches everything upstream
// from the registry cache (nothing is built twice across jobs), and the images are, digest for
// digest, those of one local `plinth build` of the same fleet.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "e2e/chain_fleet_support.h"
#include "e2e/workflow_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/registry_server.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

using testing::RunPlinth;

struct Finish {
  std::string outcome, detail, digest;
};

std::map<std::string, Finish> Finishes(const std::string& out) {
  std::map<std::string, Finish> m;
  for (const auto& line : testing::JsonLines(out))
    if (line["event"] == "finish")
      m[line["target"]] = {line["outcome"], line.value("detail", ""), line.value("digest", "")};
  return m;
}

// The build step as a runner runs it: GitHub replaces `${{ matrix.platform }}` in the text, then
// the shell splits it into words and expands $REGISTRY (the workflow's env). The words after
// "plinth".
std::vector<std::string> RunnerArgs(std::string line, const std::string& platform,
                                    const std::string& registry) {
  const std::string expression = "${{ matrix.platform }}";
  for (size_t at; (at = line.find(expression)) != std::string::npos;)
    line.replace(at, expression.size(), platform);
  auto words = testing::ShellWords(line);
  std::vector<std::string> args;
  for (size_t i = 1; i < words.size(); ++i) {
    std::string w = words[i];
    if (w == "$REGISTRY") w = registry;
    EXPECT_EQ(w.find('$'), std::string::npos) << "unsubstituted word " << w;
    args.push_back(w);
  }
  return args;
}

// Plays the workflow emitted with `--jobs LAYOUT`, which has `job_count` jobs.
void PlayWorkflow(const std::string& layout, size_t job_count) {
  testing::RegistryServer registry;
  ASSERT_TRUE(registry.ok()) << registry.error();
  testing::ScratchDir dir;
  testing::WriteChainFleet(dir / "fleet", registry.host());

  auto emitted = RunPlinth({"emit", "github-actions", "--jobs", layout, "-o", dir / "ci.yml"}, {},
                           dir / "fleet");
  ASSERT_EQ(emitted.exit_code, 0) << emitted.err;
  auto text = ReadFile(dir / "ci.yml");
  ASSERT_TRUE(text.ok());
  auto jobs = testing::InNeedsOrder(testing::ReadWorkflowJobs(*text));
  ASSERT_EQ(jobs.size(), job_count);
  // $REGISTRY is the workflow's: the registry plinth.yaml names, here the one under test.
  EXPECT_NE(text->find("  REGISTRY: \"" + registry.host() + "\"\n"), std::string::npos) << *text;

  std::map<std::string, int> built;            // target → how many runs built it
  std::map<std::string, std::string> digests;  // target → digest, from the run that built it
  int runner = 0;
  int indexes_written = 0;
  for (const auto& job : jobs) {
    // The last job has no matrix: one run for every platform, which joins the indexes.
    std::vector<std::string> platforms = job.platforms;
    if (platforms.empty()) platforms.push_back("");
    for (const auto& platform : platforms) {
      // A fresh runner: its own checkout (so its own default store), HOME and TMPDIR.
      std::string root = dir / ("runner-" + std::to_string(++runner));
      std::filesystem::create_directories(root + "/home");
      std::filesystem::create_directories(root + "/tmp");
      std::filesystem::copy(dir / "fleet", root + "/checkout", std::filesystem::copy_options::recursive);
      auto args = RunnerArgs(job.build_line, platform, registry.host());
      args.insert(args.end(), {"--insecure", registry.host(), "--format", "json"});
      auto run = RunPlinth(args, {{"HOME", root + "/home"}, {"TMPDIR", root + "/tmp"}},
                           root + "/checkout");
      ASSERT_EQ(run.exit_code, 0) << job.id << " " << platform << "\n" << run.out << run.err;
      std::set<std::string> own;
      for (const auto& image : job.images) own.insert(image + "@" + platform);
      for (const auto& line : testing::JsonLines(run.out))
        if (line["event"] == "index" && line["outcome"] == "written") ++indexes_written;
      auto finishes = Finishes(run.out);
      for (const auto& target : own) EXPECT_TRUE(finishes.count(target)) << target << "\n" << run.out;
      for (const auto& [target, finish] : finishes) {
        if (own.count(target)) {
          EXPECT_EQ(finish.outcome, "built") << job.id << ": " << target;
          ++built[target];
          digests[target] = finish.digest;
        } else {
          // Upstream of this job: fetched from the registry cache, never built here.
          EXPECT_EQ(finish.outcome, "cached") << job.id << ": " << target << " " << finish.detail;
          EXPECT_NE(finish.detail.find("fetched from " + registry.host()), std::string::npos)
              << job.id << ": " << target << " " << finish.detail;
          EXPECT_EQ(finish.digest, digests[target]) << target;
        }
      }
    }
  }
  EXPECT_EQ(built.size(), 10u);  // 5 images × 2 platforms
  for (const auto& [target, times] : built) EXPECT_EQ(times, 1) << target;
  // Only the index job joins the platforms: one index per image, pushed with the images.
  EXPECT_EQ(indexes_written, 5);
  auto index = testing::Run({"skopeo", "inspect", "--raw", "--tls-verify=false",
                             "docker://" + registry.host() + "/runners/web:latest"});
  EXPECT_EQ(index.exit_code, 0) << index.err;
  EXPECT_NE(index.out.find("manifests"), std::string::npos) << index.out;

  // One local build of the whole fleet, pushing nowhere, makes the same images.
  std::filesystem::copy(dir / "fleet", dir / "local", std::filesystem::copy_options::recursive);
  auto local = RunPlinth({"build", "--format", "json"}, {}, dir / "local");
  ASSERT_EQ(local.exit_code, 0) << local.out << local.err;
  auto finishes = Finishes(local.out);
  ASSERT_EQ(finishes.size(), 10u);
  for (const auto& [target, finish] : finishes) {
    EXPECT_EQ(finish.outcome, "built") << target;
    EXPECT_EQ(finish.digest, digests[target]) << target;
  }
}

TEST(CiRunnersTest, JobsOnSeparateRunnersShareOnlyTheRegistryAndBuildNothingTwice) {
  PlayWorkflow("per-target", 6);
}

TEST(CiRunnersTest, PhaseJobsOnSeparateRunnersBuildNothingTwiceEither) {
  // runner-base and solo; api and worker; web; the indexes.
  PlayWorkflow("per-phase", 4);
}

}  // namespace
}  // namespace plinth
