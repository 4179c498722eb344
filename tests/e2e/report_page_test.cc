// End to end: a small fleet built twice, then `plinth report` from its build records: the table,
// the JSON, and the HTML page rendered by Debian's headless chromium, which must log no console
// message and whose screenshot must show the charts' colours.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <sstream>

#include "e2e/png_support.h"
#include "metrics/report_page.h"
#include "support/plinth_runner.h"
#include "support/test_env.h"

namespace plinth {
namespace {

using testing::RunPlinth;

// A base from scratch, a service on it (so the last build has two phases and a critical path of
// two), and a service on its own; the foundation tier has a size budget.
void WriteFleet(const std::string& dir) {
  testing::WriteTestFile(dir + "/plinth.yaml", R"(version: 1
namespace: pickme
image: "{namespace}/report-{name}:latest-{arch}"
platforms: [linux/amd64]
tiers:
  foundation:
    runtime_base: {allow: ["fleet:*"]}
    size_budget: 10MB
  app: {}
groups:
  base: {phase: 0}
  foundation: {phase: 1}
bases:
  report-base:
    dockerfile: base/Dockerfile
    context: base
    image: "{namespace}/report-base:latest-{arch}"
    group: base
services:
  store:
    dockerfile: store/Dockerfile
    context: store
    tier: foundation
    group: foundation
    base: report-base
  tool:
    dockerfile: tool/Dockerfile
    context: tool
    tier: app
    group: foundation
)");
  testing::WriteTestFile(dir + "/base/Dockerfile", "FROM scratch\nCOPY etc/ /etc/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/base/etc/os-release", "ID=report\n");
  testing::WriteTestFile(dir + "/store/Dockerfile",
                         "FROM scratch AS src\nCOPY data.txt /app/\n"
                         "FROM pickme/report-base:latest-${TARGETARCH}\n"
                         "COPY --from=src /app/ /app/\nUSER 65532\n");
  testing::WriteTestFile(dir + "/store/data.txt", std::string(20000, 's') + "\n");
  testing::WriteTestFile(dir + "/tool/Dockerfile", "FROM scratch\nCOPY tool.txt /tool.txt\nUSER 65532\n");
  testing::WriteTestFile(dir + "/tool/tool.txt", "tool\n");
}

// Headless chromium on `url`, its own profile in `dir`, logging to stderr; --screenshot when
// `png` is given, else --dump-dom. Returns the run (a hung browser is killed by timeout).
SubprocessResult Chromium(const std::string& dir, const std::string& url,
                          const std::string& png = "") {
  std::filesystem::create_directories(dir);
  std::vector<std::string> argv = {
      "timeout", "120", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
      "--no-first-run", "--disable-dev-shm-usage", "--hide-scrollbars",
      "--user-data-dir=" + dir + "/chromium-profile", "--enable-logging=stderr", "--v=0",
      "--window-size=1000,1800", "--force-device-scale-factor=1"};
  argv.push_back(png.empty() ? "--dump-dom" : "--screenshot=" + png);
  argv.push_back(url);
  return testing::Run(argv, {{"HOME", dir}});
}

// Chromium writes a page's console messages (errors, CSP refusals, uncaught exceptions) to its
// log as "...:CONSOLE(line)] message".
std::vector<std::string> ConsoleLines(const std::string& log) {
  std::vector<std::string> lines;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (line.find(":CONSOLE") != std::string::npos) lines.push_back(line);
  return lines;
}

// Pixels of exactly `colour` inside the rectangle [x0, x1) × [y0, y1).
int Count(const testing::Pixels& px, testing::Rgb colour, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = std::max(0, y0); y < std::min(px.height, y1); ++y)
    for (int x = std::max(0, x0); x < std::min(px.width, x1); ++x) n += px.at(x, y) == colour;
  return n;
}

// The rows in which `colour` appears, as [first, last]; {-1, -1} when it does not.
std::pair<int, int> Rows(const testing::Pixels& px, testing::Rgb colour) {
  std::pair<int, int> rows{-1, -1};
  for (int y = 0; y < px.height; ++y)
    if (Count(px, colour, 0, y, px.width, y + 1) > 0) {
      if (rows.first < 0) rows.first = y;
      rows.second = y;
    }
  return rows;
}

class ReportPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFleet(dir_ / "fleet");
    for (const char* expect : {"built", "cached"}) {
      auto build = RunPlinth({"--store", dir_ / "store", "build", "--format", "json"}, {},
                             dir_ / "fleet");
      ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
      ASSERT_NE(build.out.find(std::string("\"outcome\":\"") + expect + "\""), std::string::npos)
          << build.out;
    }
  }
  testing::ScratchDir dir_;
};

TEST_F(ReportPageTest, JsonFromTheRecordsOfTwoBuilds) {
  auto run = RunPlinth({"--store", dir_ / "store", "report", "--format", "json"}, {},
                       dir_ / "fleet");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["builds"].size(), 2u);
  ASSERT_EQ(json["images"].size(), 3u);
  const auto& base = json["images"][0];
  EXPECT_EQ(base["target"], "report-base");
  EXPECT_EQ(base["attempts"], 2);
  EXPECT_EQ(base["cache_hits"], 1);
  EXPECT_EQ(base["history"][0]["outcome"], "built");
  EXPECT_EQ(base["history"][1]["outcome"], "cached");
  EXPECT_GT(base["size"].get<int64_t>(), 0);
  const auto& store = json["images"][1];
  EXPECT_EQ(store["target"], "store");
  EXPECT_EQ(store["budget"]["tier"], "foundation");
  EXPECT_EQ(store["budget"]["bytes"], 10000000);
  EXPECT_EQ(store["over_budget"], false);
  EXPECT_TRUE(json["images"][2]["budget"].is_null());
  // The last build's phases and critical path, from what the builder recorded.
  const auto& last = json["last_build"];
  // The critical path is the longer of the two chains by the times recorded: base then store,
  // or tool alone (a cached target's time is too small to know beforehand which).
  std::map<std::string, double> seconds;
  for (const auto& t : last["timeline"]) seconds[t["target"]] = t["seconds"].get<double>();
  ASSERT_EQ(seconds.size(), 3u);
  double chain = seconds["report-base@linux/amd64"] + seconds["store@linux/amd64"];
  double alone = seconds["tool@linux/amd64"];
  nlohmann::json expected = chain >= alone
                                ? nlohmann::json{"report-base@linux/amd64", "store@linux/amd64"}
                                : nlohmann::json{"tool@linux/amd64"};
  EXPECT_EQ(last["critical_path"], expected);
  EXPECT_DOUBLE_EQ(last["critical_seconds"].get<double>(), std::max(chain, alone));
  ASSERT_EQ(last["phases"].size(), 2u);
  EXPECT_EQ(last["phases"][0]["phase"], 0);
  EXPECT_EQ(last["phases"][0]["targets"], 2);
  EXPECT_EQ(last["phases"][1]["phase"], 1);
  for (const auto& t : last["timeline"]) EXPECT_GE(t["start"].get<double>(), 0) << t;

  auto one = RunPlinth({"--store", dir_ / "store", "report", "tool", "--last", "1", "--format",
                        "json"}, {}, dir_ / "fleet");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  auto only = nlohmann::json::parse(one.out);
  EXPECT_EQ(only["builds"].size(), 1u);
  ASSERT_EQ(only["images"].size(), 1u);
  EXPECT_EQ(only["images"][0]["target"], "tool");
}

TEST_F(ReportPageTest, TableAndTypos) {
  auto run = RunPlinth({"--store", dir_ / "store", "report"}, {}, dir_ / "fleet");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("IMAGE"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1/2 (50%)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("10.0 MB (foundation)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("last build #2: "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("critical path: "), std::string::npos) << run.out;

  auto typo = RunPlinth({"--store", dir_ / "store", "report", "stor"}, {}, dir_ / "fleet");
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean 'store'?"), std::string::npos) << typo.err;
  auto none = RunPlinth({"--store", dir_ / "empty", "report"}, {}, dir_ / "fleet");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("run plinth build first"), std::string::npos) << none.err;
}

TEST_F(ReportPageTest, PageRendersInChromiumWithItsCharts) {
  std::string page = dir_ / "report.html";
  auto run = RunPlinth({"--store", dir_ / "store", "report", "--html", page}, {}, dir_ / "fleet");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto again = RunPlinth({"--store", dir_ / "store", "report", "--html", dir_ / "again.html"}, {},
                         dir_ / "fleet");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto read = testing::Run({"cmp", page, dir_ / "again.html"});
  EXPECT_EQ(read.exit_code, 0) << "the same records gave different pages";

  // The console check catches what it should: a page that throws and loads a URL against its
  // policy logs CONSOLE lines.
  testing::WriteTestFile(dir_ / "bad.html",
                         "<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" "
                         "content=\"default-src 'none'; script-src 'unsafe-inline'\">"
                         "<img src=\"http://192.0.2.1/x.png\"><script>throw new Error('boom')"
                         "</script>");
  auto bad = Chromium(dir_ / "bad", "file://" + dir_ / "bad.html");
  ASSERT_EQ(bad.exit_code, 0) << bad.err;
  EXPECT_GE(ConsoleLines(bad.err).size(), 1u) << bad.err;

  auto dom = Chromium(dir_ / "dom", "file://" + page);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  EXPECT_NE(dom.out.find("<svg"), std::string::npos);
  EXPECT_EQ(ConsoleLines(dom.err), std::vector<std::string>{}) << dom.err;

  std::string png = dir_ / "report.png";
  auto shot = Chromium(dir_ / "shot", "file://" + page, png);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  EXPECT_EQ(ConsoleLines(shot.err), std::vector<std::string>{}) << shot.err;
  std::string error;
  auto px = testing::ReadPng(png, &error);
  ASSERT_GT(px.width, 0) << error;

  // Each chart's colour is drawn, in the charts' order down the page: the size lines and dots,
  // the phase bars, then the Gantt bars (the last build cached everything).
  using testing::ParseHexColour;
  auto series = Rows(px, ParseHexColour(std::string(metrics::kSeriesColours[0])));
  auto phases = Rows(px, ParseHexColour(std::string(metrics::kPhaseBarColour)));
  auto gantt = Rows(px, ParseHexColour(std::string(metrics::kCachedBarColour)));
  ASSERT_GE(series.first, 0) << "no size chart in the screenshot";
  ASSERT_GE(phases.first, 0) << "no phase chart in the screenshot";
  ASSERT_GE(gantt.first, 0) << "no Gantt chart in the screenshot";
  EXPECT_LT(series.first, phases.first);
  EXPECT_LT(phases.second, gantt.first);
  // Solid areas, not a stray pixel: a phase bar is 26 px high, a Gantt bar 18 px.
  EXPECT_GT(Count(px, ParseHexColour(std::string(metrics::kPhaseBarColour)), 0, phases.first,
                  px.width, phases.second + 1),
            26 * 20);
  EXPECT_GT(Count(px, ParseHexColour(std::string(metrics::kCachedBarColour)), 0, gantt.first,
                  px.width, gantt.second + 1),
            18 * 3);
  EXPECT_EQ(Count(px, ParseHexColour(std::string(metrics::kBuiltBarColour)), 0, 0, px.width,
                  px.height),
            0)
      << "the last build built nothing";
}

}  // namespace
}  // namespace plinth
