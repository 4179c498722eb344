// End to end, the cache's one promise: for every change of an input, a build that uses the cache
// produces exactly the images a clean build produces. The fleet of cache_fleet_support.h is
// built once; then each mutation of the catalogue (and a seeded random run) is applied, and
//   - `plan --explain` says which targets build and names the changed input,
//   - `plinth build` with the cache builds those (or, for what cannot reach an image, nothing),
//   - `plinth build --no-cache` into a fresh store builds the same manifest digests,
// and both stores pass `plinth store verify`. A RUN fleet (stages through buildah, a static
// program instead of a shell) checks the few cases where the backend builds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "e2e/cache_fleet_support.h"
#include "support/json_lines.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"
#include "util/fs.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;
using testing::Expect;
using testing::FleetDir;
using testing::Mutation;
using testing::RunPlinth;

struct Built {
  std::map<std::string, std::string> outcome;  // target → built|cached|…
  std::map<std::string, std::string> digest;   // target (and "index NAME") → manifest digest
};

struct Forecast {
  std::string state;
  std::vector<std::string> reasons;
};

class CacheSoundness {
 public:
  explicit CacheSoundness(FleetDir fleet, std::string store)
      : fleet_(std::move(fleet)), store_(std::move(store)) {}

  FleetDir& fleet() { return fleet_; }

  // `plinth build` of every target into `store`; every target must be built or cached.
  Built Build(const std::string& store, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--store", store, "build",    "--pull",
                                  "never",   "-k",  "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto run = RunPlinth(args, fleet_.env, fleet_.path);
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    Built b;
    for (const auto& j : testing::JsonLines(run.out)) {
      if (j["event"] == "finish") {
        b.outcome[j["target"]] = j.value("outcome", "");
        b.digest[j["target"]] = j.value("digest", "");
        EXPECT_TRUE(b.outcome[j["target"]] == "built" || b.outcome[j["target"]] == "cached")
            << j.dump();
      }
      if (j["event"] == "index") b.digest["index " + j.value("image", "")] = j.value("digest", "");
    }
    EXPECT_FALSE(b.outcome.empty()) << run.out << run.err;
    return b;
  }

  std::map<std::string, Forecast> Plan() {
    auto run = RunPlinth({"--store", store_, "plan", "--explain", "--format", "json"}, fleet_.env,
                         fleet_.path);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::map<std::string, Forecast> out;
    auto j = nlohmann::json::parse(run.out, nullptr, false);
    if (j.is_discarded() || !j.contains("targets")) return out;
    for (const auto& t : j["targets"])
      out[t["target"]] = {t.value("state", ""), t.value("reasons", std::vector<std::string>{})};
    return out;
  }

  void Verify(const std::string& store) {
    auto run = RunPlinth({"--store", store, "store", "verify"});
    EXPECT_EQ(run.exit_code, 0) << store << ": " << run.out << run.err;
  }

  void First() { Remember(last_ = Build(store_)); }

  // Every image a target has had so far: a mutation that undoes an earlier one is served the
  // image the earlier inputs made, not the last one.
  void Remember(const Built& built) {
    for (const auto& [target, digest] : built.digest) seen_[target].insert(digest);
  }

  // Applies `m` and checks the plan, the cached build and a clean build against each other.
  void Check(const Mutation& m) {
    SCOPED_TRACE("mutation: " + m.name);
    ASSERT_NO_FATAL_FAILURE(m.apply(fleet_));
    auto plan = Plan();
    for (const auto& [target, reason] : m.rebuilds) {
      const Forecast& f = plan[target];
      EXPECT_EQ(f.state, "build") << target;
      bool named = false;
      for (const auto& r : f.reasons) named |= r.find(reason) != std::string::npos;
      EXPECT_TRUE(named) << target << " is not explained by \"" << reason << "\" but by "
                         << ::testing::PrintToString(f.reasons);
    }
    if (m.expect == Expect::kStaysCached)
      for (const auto& [target, f] : plan)
        EXPECT_EQ(f.state, "cached") << target << ": " << ::testing::PrintToString(f.reasons);

    Built cached = Build(store_);
    for (const auto& [target, reason] : m.rebuilds)
      EXPECT_EQ(cached.outcome[target], "built") << target;
    if (m.expect == Expect::kStaysCached) {
      for (const auto& [target, outcome] : cached.outcome) EXPECT_EQ(outcome, "cached") << target;
      // An image this target had before (targets of a platform no longer built aside).
      for (const auto& [target, digest] : cached.digest)
        EXPECT_TRUE(seen_[target].count(digest)) << target << " got " << digest;
    }
    testing::ScratchDir fresh;
    Built clean = Build(fresh / "store", {"--no-cache"});
    EXPECT_EQ(cached.digest, clean.digest) << "the cache served another image than a clean build";
    Verify(store_);
    Verify(fresh / "store");
    Remember(cached);
    last_ = std::move(cached);
  }

 private:
  FleetDir fleet_;
  std::string store_;
  Built last_;  // the images of the last build
  std::map<std::string, std::set<std::string>> seen_;
};

class CacheSoundnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteNativeFleet(suite_.fleet());
    ASSERT_NO_FATAL_FAILURE(suite_.First());
  }

  // The catalogue's mutation called `name`.
  static Mutation Named(const std::string& name) {
    for (auto& m : testing::NativeCatalogue())
      if (m.name == name) return m;
    ADD_FAILURE() << "no mutation " << name;
    return {};
  }

  testing::ScratchDir dir_;
  CacheSoundness suite_{FleetDir{dir_ / "fleet", {}}, dir_ / "store"};
};

// Issue 13's two stale images, and issue 14's cache key gaps, one by one.
TEST_F(CacheSoundnessTest, TheDefaultOfAGlobalArgChangesTheImage) {
  suite_.Check(Named("the default of a global ARG"));
}

TEST_F(CacheSoundnessTest, ChmodMinusXOfACopiedFileChangesTheImage) {
  suite_.Check(Named("chmod -x of a copied file"));
}

TEST_F(CacheSoundnessTest, SourceDateEpochChangesTheImage) {
  suite_.Check(Named("SOURCE_DATE_EPOCH"));
}

TEST_F(CacheSoundnessTest, PlanDoesNotCallCachedATargetWhoseBaseIsBuiltFirst) {
  suite_.Check(Named("a file of a fleet base"));
}

TEST_F(CacheSoundnessTest, EveryMutationOfTheCatalogue) {
  auto catalogue = testing::NativeCatalogue();
  ASSERT_GE(catalogue.size(), 50u);
  for (const auto& m : catalogue) ASSERT_NO_FATAL_FAILURE(suite_.Check(m));
}

TEST_F(CacheSoundnessTest, RandomMutations) {
  const char* seed_env = std::getenv("PLINTH_CACHE_SEED");
  unsigned seed =
      seed_env && *seed_env ? static_cast<unsigned>(std::stoul(seed_env)) : std::random_device{}();
  const char* steps_env = std::getenv("PLINTH_CACHE_STEPS");
  int steps = steps_env && *steps_env ? std::stoi(steps_env) : 12;
  SCOPED_TRACE("random seed " + std::to_string(seed) +
               " (PLINTH_CACHE_SEED=" + std::to_string(seed) + " replays this run)");
  std::mt19937 random(seed);
  for (int i = 0; i < steps; ++i) {
    Mutation m = testing::RandomMutation(random);
    m.name = "step " + std::to_string(i + 1) + ": " + m.name;
    ASSERT_NO_FATAL_FAILURE(suite_.Check(m));
  }
}

TEST(RunStagesCacheSoundnessTest, TheBackendSeesEveryInputOfTheStagesItRuns) {
  testing::ScratchDir dir;
  CacheSoundness suite(FleetDir{dir / "fleet", {}}, dir / "store");
  ASSERT_NO_FATAL_FAILURE(testing::WriteRunFleet(suite.fleet(), dir / "src"));
  ASSERT_NO_FATAL_FAILURE(suite.First());
  for (const auto& m : testing::RunCatalogue()) ASSERT_NO_FATAL_FAILURE(suite.Check(m));
}

}  // namespace
}  // namespace plinth
