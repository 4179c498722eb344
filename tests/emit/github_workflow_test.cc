#include "emit/github_workflow.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "emit/plan_fixture.h"

namespace plinth::emit {
namespace {

using testing::PlanOf;

fleet::Fleet FleetOn(const std::string& registry) {
  fleet::Fleet fleet;
  fleet.registry = registry;
  return fleet;
}

ImageGraph Lucidish() {
  return ImageGraphOf(PlanOf({{"gcr.io/distroless/base-debian12:nonroot", {"linux/arm64", "linux/amd64"}, {},
                               plan::TargetSource::kUpstreamRecipe},
                              {"lucid-base", {"linux/arm64", "linux/amd64"},
                               {"gcr.io/distroless/base-debian12:nonroot"}},
                              {"redis", {"linux/arm64", "linux/amd64"}, {"lucid-base"}},
                              {"api", {"linux/amd64"}, {"lucid-base"}},
                              {"web", {"linux/amd64"}, {}}}));
}

YAML::Node Parse(const Result<std::string>& text) {
  EXPECT_TRUE(text.ok()) << text.error().ToString();
  return YAML::Load(*text);
}

std::map<std::string, std::set<std::string>> Needs(const YAML::Node& workflow) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& job : workflow["jobs"]) {
    auto& needs = out[job.first.as<std::string>()];
    if (job.second["needs"])
      for (const auto& n : job.second["needs"]) needs.insert(n.as<std::string>());
  }
  return out;
}

std::string BuildStep(const YAML::Node& job) {
  for (const auto& step : job["steps"])
    if (step["id"] && step["id"].as<std::string>() == "build") return step["run"].as<std::string>();
  return "";
}

TEST(GithubWorkflowTest, OneJobPerImageWithTheDagsEdgesAsNeeds) {
  auto workflow = Parse(GithubWorkflow(FleetOn("registry.example:5000"), Lucidish(), {.plinth_version = "1.2.3"}));
  std::map<std::string, std::set<std::string>> expected{
      {"gcr-io-distroless-base-debian12-nonroot", {}},
      {"lucid-base", {"gcr-io-distroless-base-debian12-nonroot"}},
      {"redis", {"lucid-base"}},
      {"api", {"lucid-base"}},
      {"web", {}},
      // After the jobs nothing needs, the one that joins the platforms' images in indexes.
      {"indexes", {"redis", "api", "web"}}};
  EXPECT_EQ(Needs(workflow), expected);
  auto indexes = workflow["jobs"]["indexes"];
  EXPECT_FALSE(indexes["strategy"]);
  EXPECT_EQ(BuildStep(indexes), "plinth build --push --cache-from \"$REGISTRY\"\n");
  // Bases first: the jobs are in an order where every need comes before its dependents.
  std::vector<std::string> order;
  for (const auto& job : workflow["jobs"]) order.push_back(job.first.as<std::string>());
  EXPECT_EQ(order.front(), "gcr-io-distroless-base-debian12-nonroot");
  EXPECT_EQ(order[1], "lucid-base");
  auto redis = workflow["jobs"]["redis"];
  EXPECT_EQ(redis["strategy"]["matrix"]["platform"].as<std::vector<std::string>>(),
            (std::vector<std::string>{"linux/amd64", "linux/arm64"}));
  EXPECT_EQ(workflow["jobs"]["api"]["strategy"]["matrix"]["platform"].as<std::vector<std::string>>(),
            (std::vector<std::string>{"linux/amd64"}));
  EXPECT_EQ(BuildStep(redis),
            "plinth build redis --platform ${{ matrix.platform }} --push --cache-from \"$REGISTRY\"\n");
  EXPECT_EQ(BuildStep(workflow["jobs"]["gcr-io-distroless-base-debian12-nonroot"]),
            "plinth build gcr.io/distroless/base-debian12:nonroot --platform ${{ matrix.platform }} "
            "--push --cache-from \"$REGISTRY\"\n");
  EXPECT_EQ(workflow["env"]["REGISTRY"].as<std::string>(), "registry.example:5000");
  EXPECT_EQ(workflow["env"]["PLINTH_VERSION"].as<std::string>(), "1.2.3");
}

TEST(GithubWorkflowTest, MinimalPermissionsConcurrencyLoginFromSecretsAndAnInstallStep) {
  auto workflow = Parse(GithubWorkflow(FleetOn("docker.io"), Lucidish(), {.plinth_version = "1.2.3"}));
  ASSERT_TRUE(workflow["permissions"].IsMap());
  EXPECT_EQ(workflow["permissions"].size(), 1u);
  EXPECT_EQ(workflow["permissions"]["contents"].as<std::string>(), "read");
  EXPECT_EQ(workflow["concurrency"]["group"].as<std::string>(), "plinth-${{ github.ref }}");
  for (const auto& job : workflow["jobs"]) {
    std::vector<std::string> names;
    for (const auto& step : job.second["steps"])
      if (step["name"]) names.push_back(step["name"].as<std::string>());
    // Jobs with a platform other than the runner's own emulate it for their RUN stages.
    bool foreign = job.second["strategy"] &&
                   job.second["strategy"]["matrix"]["platform"].size() > 1;
    if (foreign) {
      EXPECT_EQ(names, (std::vector<std::string>{"Install plinth", "Emulate other architectures for RUN stages",
                                                 "Log in to the registry", "Build"}));
      EXPECT_EQ(job.second["steps"][2]["if"].as<std::string>(), "matrix.platform != 'linux/amd64'");
    } else {
      EXPECT_EQ(names, (std::vector<std::string>{"Install plinth", "Log in to the registry", "Build"}));
    }
    auto login = job.second["steps"][foreign ? 3 : 2];
    EXPECT_EQ(login["env"]["REGISTRY_PASSWORD"].as<std::string>(), "${{ secrets.REGISTRY_PASSWORD }}");
    EXPECT_NE(login["run"].as<std::string>().find("--password-stdin"), std::string::npos);
    EXPECT_NE(job.second["steps"][1]["run"].as<std::string>().find("plinth_build plinth"), std::string::npos);
  }
}

TEST(GithubWorkflowTest, RegistryFlagPushesEverythingThere) {
  auto workflow = Parse(GithubWorkflow(FleetOn("docker.io"), Lucidish(),
                                       {.registry = "ghcr.io", .plinth_version = "1"}));
  EXPECT_EQ(workflow["env"]["REGISTRY"].as<std::string>(), "ghcr.io");
  EXPECT_EQ(BuildStep(workflow["jobs"]["web"]),
            "plinth build web --platform ${{ matrix.platform }} --push-to \"$REGISTRY\" "
            "--cache-from \"$REGISTRY\"\n");
  auto bad = GithubWorkflow(FleetOn("docker.io"), Lucidish(), {.registry = "a b", .plinth_version = "1"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
}

TEST(GithubWorkflowTest, PerPhaseJobsNeedThePhasesTheirImagesNeed) {
  auto workflow = Parse(GithubWorkflow(FleetOn("docker.io"), Lucidish(),
                                       {.jobs = JobLayout::kPerPhase, .plinth_version = "1"}));
  // web and api are amd64 only: their phases split by platform list.
  std::map<std::string, std::set<std::string>> expected{
      {"phase-0-amd64-arm64", {}},
      {"phase-0-amd64", {}},
      {"phase-1", {"phase-0-amd64-arm64"}},
      {"phase-2-amd64-arm64", {"phase-1"}},
      {"phase-2-amd64", {"phase-1"}},
      {"indexes", {"phase-0-amd64", "phase-2-amd64-arm64", "phase-2-amd64"}}};
  EXPECT_EQ(Needs(workflow), expected);
  EXPECT_EQ(BuildStep(workflow["jobs"]["phase-0-amd64-arm64"]),
            "plinth build gcr.io/distroless/base-debian12:nonroot --platform ${{ matrix.platform }} "
            "--push --cache-from \"$REGISTRY\"\n");
  EXPECT_EQ(BuildStep(workflow["jobs"]["phase-2-amd64"]),
            "plinth build api --platform ${{ matrix.platform }} --push --cache-from \"$REGISTRY\"\n");
  auto same = ImageGraphOf(PlanOf({{"a", {"linux/amd64"}, {}}, {"b", {"linux/amd64"}, {}}}));
  auto jobs = WorkflowJobs(same, JobLayout::kPerPhase);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 1u);
  EXPECT_EQ((*jobs)[0].id, "phase-0");
  EXPECT_EQ((*jobs)[0].images, (std::vector<std::string>{"a", "b"}));
}

TEST(GithubWorkflowTest, PerPhaseJobsBuildEachImageOnlyForItsOwnPlatforms) {
  // --platform P builds a named image for P even when it does not list P: a phase whose images
  // differ in platforms is a job per platform list.
  auto graph = ImageGraphOf(PlanOf({{"base", {"linux/amd64", "linux/arm64"}, {}},
                                    {"solo", {"linux/amd64"}, {}},
                                    {"api", {"linux/amd64", "linux/arm64"}, {"base"}}}));
  auto jobs = WorkflowJobs(graph, JobLayout::kPerPhase);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 4u);
  EXPECT_EQ((*jobs)[0].id, "phase-0-amd64-arm64");
  EXPECT_EQ((*jobs)[0].images, (std::vector<std::string>{"base"}));
  EXPECT_EQ((*jobs)[1].id, "phase-0-amd64");
  EXPECT_EQ((*jobs)[1].images, (std::vector<std::string>{"solo"}));
  EXPECT_EQ((*jobs)[1].platforms, (std::vector<std::string>{"linux/amd64"}));
  EXPECT_EQ((*jobs)[2].id, "phase-1");
  EXPECT_EQ((*jobs)[2].needs, (std::vector<std::string>{"phase-0-amd64-arm64"}));
  EXPECT_EQ((*jobs)[3].id, "indexes");
}

TEST(GithubWorkflowTest, AManifestOutsideTheRootRunsInItsFolder) {
  auto text = GithubWorkflow(FleetOn("docker.io"), Lucidish(),
                             {.fleet_file = "examples/lucid/fleet.yaml", .plinth_version = "1"});
  auto workflow = Parse(text);
  EXPECT_EQ(workflow["defaults"]["run"]["working-directory"].as<std::string>(), "examples/lucid");
  EXPECT_EQ(BuildStep(workflow["jobs"]["web"]).rfind("plinth -f fleet.yaml build web ", 0), 0u);
}

TEST(GithubWorkflowTest, NamesAreQuotedForTheShellAndExpressionsRefused) {
  auto graph = ImageGraphOf(PlanOf({{"odd'name", {"linux/amd64"}, {}}}));
  auto workflow = Parse(GithubWorkflow(FleetOn("docker.io"), graph, {.plinth_version = "1"}));
  EXPECT_EQ(BuildStep(workflow["jobs"]["odd-name"]).rfind("plinth build 'odd'\\''name' ", 0), 0u);
  auto hostile = ImageGraphOf(PlanOf({{"x${{ secrets.TOKEN }}", {"linux/amd64"}, {}}}));
  auto refused = GithubWorkflow(FleetOn("docker.io"), hostile, {.plinth_version = "1"});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("${{"), std::string::npos);
}

TEST(GithubWorkflowTest, NoIndexJobWhenEveryImageHasOnePlatform) {
  auto graph = ImageGraphOf(PlanOf({{"base", {"linux/amd64"}, {}}, {"api", {"linux/amd64"}, {"base"}},
                                    {"indexes", {"linux/arm64"}, {}}}));
  auto jobs = WorkflowJobs(graph, JobLayout::kPerTarget);
  ASSERT_TRUE(jobs.ok());
  ASSERT_EQ(jobs->size(), 3u);
  EXPECT_EQ(jobs->back().id, "indexes");
  EXPECT_EQ(jobs->back().images, (std::vector<std::string>{"indexes"}));
  auto two = ImageGraphOf(PlanOf({{"indexes", {"linux/amd64", "linux/arm64"}, {}}}));
  auto with_index = WorkflowJobs(two, JobLayout::kPerTarget);
  ASSERT_TRUE(with_index.ok());
  ASSERT_EQ(with_index->size(), 2u);
  EXPECT_EQ(with_index->back().id, "indexes-2");  // the image took the name first
  EXPECT_TRUE(with_index->back().images.empty());
}

TEST(GithubWorkflowTest, SameInputsSameBytes) {
  auto a = GithubWorkflow(FleetOn("docker.io"), Lucidish(), {.plinth_version = "1"});
  auto b = GithubWorkflow(FleetOn("docker.io"), Lucidish(), {.plinth_version = "1"});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, *b);
}

TEST(GithubWorkflowTest, UnknownJobLayoutIsBadInput) {
  EXPECT_EQ(*ParseJobLayout("per-phase"), JobLayout::kPerPhase);
  auto bad = ParseJobLayout("per-image");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace plinth::emit
