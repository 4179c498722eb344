#include "emit/image_graph.h"

#include <gtest/gtest.h>

#include "emit/plan_fixture.h"

namespace plinth::emit {
namespace {

using testing::PlanOf;

std::vector<std::string> Names(const ImageGraph& g, const std::vector<size_t>& ids) {
  std::vector<std::string> out;
  for (size_t i : ids) out.push_back(g.nodes[i].name);
  return out;
}

TEST(ImageGraphTest, MergesPlatformsOfOneNameAndKeepsTheEdgesBetweenNames) {
  auto plan = PlanOf({{"base", {"linux/arm64", "linux/amd64"}, {}},
                      {"api", {"linux/arm64", "linux/amd64"}, {"base"}},
                      {"web", {"linux/amd64"}, {}}});
  ImageGraph g = ImageGraphOf(plan);
  ASSERT_EQ(g.nodes.size(), 3u);
  EXPECT_EQ(g.nodes[0].name, "base");
  EXPECT_EQ(g.nodes[0].platforms, (std::vector<std::string>{"linux/amd64", "linux/arm64"}));
  EXPECT_EQ(g.nodes[0].images.at("linux/arm64"), "pickme/base:latest-arm64");
  size_t api = g.nodes[1].name == "api" ? 1 : 2;
  EXPECT_EQ(Names(g, g.nodes[api].needs), (std::vector<std::string>{"base"}));
  EXPECT_EQ(g.nodes[api].phase, 1);
  auto phases = g.Phases();
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(Names(g, phases[0]), (std::vector<std::string>{"base", "web"}));
  EXPECT_EQ(Names(g, phases[1]), (std::vector<std::string>{"api"}));
}

TEST(ImageGraphTest, AnEdgeOfOnePlatformOnlyIsAnEdgeOfTheName) {
  auto plan = PlanOf({{"base", {"linux/arm64"}, {}},
                      {"api", {"linux/amd64", "linux/arm64"}, {"base"}}});
  ImageGraph g = ImageGraphOf(plan);
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[1].name, "api");
  EXPECT_EQ(Names(g, g.nodes[1].needs), (std::vector<std::string>{"base"}));
}

TEST(ImageGraphTest, OnlySelectedTargetsAreNodes) {
  auto plan = PlanOf({{"base", {"linux/amd64"}, {}}, {"api", {"linux/amd64"}, {"base"}}});
  plan.selected = {0};
  ImageGraph g = ImageGraphOf(plan);
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].name, "base");
}

TEST(IdentifierSetTest, MapsAnyNameToAValidUniqueIdentifier) {
  IdentifierSet ids;
  EXPECT_EQ(ids.Add("api-gateway"), "api-gateway");
  EXPECT_EQ(ids.Add("gcr.io/distroless/base-debian12:nonroot"),
            "gcr-io-distroless-base-debian12-nonroot");
  EXPECT_EQ(ids.Add("9lives"), "_9lives");
  EXPECT_EQ(ids.Add("-x"), "_-x");
  EXPECT_EQ(ids.Add("api.gateway"), "api-gateway-2");
  EXPECT_EQ(ids.Add("API_gateway"), "API_gateway");
  EXPECT_EQ(ids.Add("API-Gateway"), "API-Gateway-3");  // "api-gateway" without case
  EXPECT_EQ(ids.Add("api-gateway-2"), "api-gateway-2-2");
}

}  // namespace
}  // namespace plinth::emit
