#include "metrics/report_page.h"

#include <gtest/gtest.h>

namespace plinth::metrics {
namespace {

PageFormatters Plain() {
  return {[](int64_t bytes) { return std::to_string(bytes) + " B"; },
          [](double seconds) { return std::to_string(static_cast<int>(seconds * 1000)) + "ms"; }};
}

BuildRecord Build(int64_t id, std::string base_name, std::string outcome) {
  BuildRecord b{.id = id, .started = 100.0 * double(id), .seconds = 3, .built = 2};
  TargetRecord base{base_name, "linux/amd64", "k", outcome, 1.0, 4000, 1, "sha256:00"};
  base.phase = 0;
  base.started = 0;
  TargetRecord app{"app", "linux/amd64", "k", outcome, 2.0, 9000, 1, "sha256:00"};
  app.phase = 1;
  app.started = 1.0;
  app.needs = {base_name + "@linux/amd64"};
  b.targets = {base, app};
  return b;
}

BuildReport TwoBuilds(const std::string& base_name = "base") {
  return MakeBuildReport({Build(2, base_name, "cached"), Build(1, base_name, "built")}, {});
}

TEST(ReportPageTest, HasTheThreeCharts) {
  std::string page = RenderReportPage(TwoBuilds(), Plain());
  EXPECT_NE(page.find("aria-label=\"compressed size per image over the recent builds\""),
            std::string::npos);
  EXPECT_NE(page.find("aria-label=\"build time per phase of the last build\""), std::string::npos);
  EXPECT_NE(page.find("aria-label=\"timeline of the last build\""), std::string::npos);
  // One size line per image, a bar per phase, a Gantt bar per target coloured by outcome.
  EXPECT_NE(page.find("<polyline fill=\"none\" stroke=\"" + std::string(kSeriesColours[0])),
            std::string::npos);
  EXPECT_NE(page.find("fill=\"" + std::string(kPhaseBarColour) + "\""), std::string::npos);
  EXPECT_NE(page.find("fill=\"" + std::string(kCachedBarColour) + "\""), std::string::npos);
  EXPECT_EQ(page.find("fill=\"" + std::string(kBuiltBarColour) + "\""), std::string::npos)
      << "the last build cached everything";
  EXPECT_NE(page.find("base@linux/amd64 → app@linux/amd64"), std::string::npos);
}

TEST(ReportPageTest, SelfContained) {
  std::string page = RenderReportPage(TwoBuilds(), Plain());
  EXPECT_EQ(page.find("://"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("url("), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"),
            std::string::npos);
}

TEST(ReportPageTest, SameReportSameBytes) {
  EXPECT_EQ(RenderReportPage(TwoBuilds(), Plain()), RenderReportPage(TwoBuilds(), Plain()));
}

TEST(ReportPageTest, HostileNamesAreEscaped) {
  std::string hostile = "<script>alert('x')</script>&\"";
  std::string page = RenderReportPage(TwoBuilds(hostile), Plain());
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("alert('x')"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;@linux/amd64"),
            std::string::npos);
}

TEST(ReportPageTest, EscapeHtml) {
  EXPECT_EQ(EscapeHtml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(EscapeHtml("plain"), "plain");
}

TEST(ReportPageTest, NoBuildsSaysSo) {
  std::string page = RenderReportPage(MakeBuildReport({}, {}), Plain());
  EXPECT_NE(page.find("No builds recorded."), std::string::npos);
  EXPECT_EQ(page.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace plinth::metrics
