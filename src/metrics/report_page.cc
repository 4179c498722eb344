#include "metrics/report_page.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace plinth::metrics {
namespace {

constexpr int kWidth = 760;         // every chart's width, in CSS pixels
constexpr int kPlotLeft = 90;       // room for the y axis labels
constexpr int kPlotRight = 740;
constexpr int kGanttLabels = 230;   // room for target names left of the Gantt bars
constexpr int kRow = 22;            // one Gantt row or legend line

// Numbers in the page are written with a fixed number of decimals, never by locale or stream
// state, so the same report gives the same bytes.
std::string Fixed(double value, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  return buf;
}

std::string_view OutcomeColour(const std::string& outcome) {
  if (outcome == "built") return kBuiltBarColour;
  if (outcome == "cached") return kCachedBarColour;
  if (outcome == "failed") return kFailedBarColour;
  return kOtherBarColour;
}

std::string PhaseName(int phase) {
  return phase < 0 ? "unrecorded" : "phase " + std::to_string(phase);
}

std::string Svg(int height, const std::string& label, const std::string& body) {
  return "<svg role=\"img\" aria-label=\"" + EscapeHtml(label) + "\" width=\"" +
         std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
         std::to_string(kWidth) + " " + std::to_string(height) + "\">\n" + body + "</svg>\n";
}

std::string Text(double x, double y, const std::string& text, const char* anchor = "start") {
  return "<text x=\"" + Fixed(x) + "\" y=\"" + Fixed(y) + "\" text-anchor=\"" + anchor + "\">" +
         EscapeHtml(text) + "</text>\n";
}

// `title` (plain text) is the tooltip.
std::string Rect(double x, double y, double w, double h, std::string_view fill,
                 const std::string& extra = "", const std::string& title = "") {
  return "<rect x=\"" + Fixed(x) + "\" y=\"" + Fixed(y) + "\" width=\"" + Fixed(std::max(w, 1.0)) +
         "\" height=\"" + Fixed(h) + "\" fill=\"" + std::string(fill) + "\"" + extra +
         (title.empty() ? "/>\n" : "><title>" + EscapeHtml(title) + "</title></rect>\n");
}

std::string Line(double x1, double y1, double x2, double y2) {
  return "<line x1=\"" + Fixed(x1) + "\" y1=\"" + Fixed(y1) + "\" x2=\"" + Fixed(x2) +
         "\" y2=\"" + Fixed(y2) + "\" class=\"axis\"/>\n";
}

// Each image's compressed size per build: one line per image, x the builds oldest to newest.
std::string SizeChart(const BuildReport& report, const PageFormatters& human) {
  constexpr int top = 20, plot_height = 200;
  int64_t max_size = 1;
  for (const auto& image : report.images)
    for (const auto& s : image.history) max_size = std::max(max_size, s.size);
  std::map<int64_t, size_t> column;  // build id → its x position
  for (const auto& b : report.builds) column.emplace(b.id, column.size());
  size_t columns = std::max<size_t>(column.size(), 1);
  auto x = [&](int64_t build) {
    double step = columns > 1 ? double(kPlotRight - kPlotLeft) / double(columns - 1) : 0;
    return columns > 1 ? kPlotLeft + step * double(column[build])
                       : (kPlotLeft + kPlotRight) / 2.0;
  };
  auto y = [&](int64_t size) { return top + plot_height * (1.0 - double(size) / double(max_size)); };
  std::string body;
  body += Line(kPlotLeft, top, kPlotLeft, top + plot_height);
  body += Line(kPlotLeft, top + plot_height, kPlotRight, top + plot_height);
  body += Text(kPlotLeft - 6, top + 4, human.bytes(max_size), "end");
  body += Text(kPlotLeft - 6, top + plot_height + 4, human.bytes(0), "end");
  for (const auto& b : report.builds)
    body += Text(x(b.id), top + plot_height + 18, "#" + std::to_string(b.id), "middle");
  int legend = top + plot_height + 44;
  for (size_t i = 0; i < report.images.size(); ++i) {
    const auto& image = report.images[i];
    std::string colour(kSeriesColours[i % std::size(kSeriesColours)]);
    std::string points;
    std::string dots;
    for (const auto& s : image.history) {
      if (s.size <= 0) continue;  // not made in that build (failed, skipped)
      points += Fixed(x(s.build_id)) + "," + Fixed(y(s.size)) + " ";
      dots += "<circle cx=\"" + Fixed(x(s.build_id)) + "\" cy=\"" + Fixed(y(s.size)) +
              "\" r=\"5\" fill=\"" + colour + "\"><title>" +
              EscapeHtml(image.target + "@" + image.platform + " #" +
                         std::to_string(s.build_id) + ": " + human.bytes(s.size)) +
              "</title></circle>\n";
    }
    if (!points.empty())
      body += "<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"3\" points=\"" +
              points + "\"/>\n" + dots;
    int ly = legend + static_cast<int>(i) * kRow;
    body += Rect(kPlotLeft, ly - 11, 14, 14, colour);
    body += Text(kPlotLeft + 20, ly, image.target + "@" + image.platform + "  " +
                                         human.bytes(image.size));
  }
  int height = legend + static_cast<int>(report.images.size()) * kRow;
  return Svg(height, "compressed size per image over the recent builds", body);
}

// The last build's summed target time per phase, one bar each.
std::string PhaseChart(const BuildReport& report, const PageFormatters& human) {
  constexpr int top = 10, bar = 26;
  double longest = 0.001;
  for (const auto& p : report.phases) longest = std::max(longest, p.seconds);
  std::string body;
  int y = top;
  for (const auto& p : report.phases) {
    double w = (kPlotRight - 200 - kPlotLeft) * (p.seconds / longest);
    body += Text(kPlotLeft - 6, y + bar / 2.0 + 5, PhaseName(p.phase), "end");
    body += Rect(kPlotLeft, y, w, bar, kPhaseBarColour);
    body += Text(kPlotLeft + w + 8, y + bar / 2.0 + 5,
                 human.seconds(p.seconds) + " in " + std::to_string(p.targets) + " target" +
                     (p.targets == 1 ? "" : "s"));
    y += bar + 8;
  }
  return Svg(y + top, "build time per phase of the last build", body);
}

// The last build as a Gantt chart: a bar per target from its start to its end, coloured by
// outcome, the critical path outlined.
std::string GanttChart(const BuildReport& report, const PageFormatters& human) {
  constexpr int top = 10;
  double end = 0.001;
  for (const auto& t : report.timeline) end = std::max(end, t.start + t.seconds);
  double scale = (kPlotRight - kGanttLabels) / end;
  std::string body;
  int y = top;
  for (const auto& t : report.timeline) {
    body += Text(kGanttLabels - 8, y + 15, t.name, "end");
    body += Rect(kGanttLabels + t.start * scale, y + 2, t.seconds * scale, kRow - 4,
                 OutcomeColour(t.outcome),
                 t.critical ? " stroke=\"#000000\" stroke-width=\"2\"" : "",
                 t.name + ": " + t.outcome + ", " + PhaseName(t.phase) + ", " +
                     human.seconds(t.seconds) + (t.critical ? ", on the critical path" : ""));
    y += kRow;
  }
  body += Line(kGanttLabels, y + 4, kPlotRight, y + 4);
  body += Text(kGanttLabels, y + 20, "0s");
  body += Text(kPlotRight, y + 20, human.seconds(end), "end");
  return Svg(y + 30, "timeline of the last build", body);
}

std::string ImageTable(const BuildReport& report, const PageFormatters& human) {
  std::string html =
      "<table>\n<tr><th>image</th><th>platform</th><th>builds</th><th>cache hits</th>"
      "<th>last time</th><th>mean build time</th><th>size</th><th>change</th>"
      "<th>budget</th></tr>\n";
  for (const auto& i : report.images) {
    std::string budget = "-";
    if (i.budget)
      budget = EscapeHtml(human.bytes(i.budget->bytes) + " (" + i.budget->tier + ")") +
               (i.over_budget ? " <strong>over</strong>" : "");
    std::string change = i.size_change == 0 ? "0"
                         : i.size_change > 0 ? "+" + human.bytes(i.size_change)
                                             : "-" + human.bytes(-i.size_change);
    html += "<tr><td>" + EscapeHtml(i.target) + "</td><td>" + EscapeHtml(i.platform) +
            "</td><td>" + std::to_string(i.history.size()) + "</td><td>" +
            std::to_string(i.cache_hits) + "/" + std::to_string(i.attempts) + " (" +
            Fixed(100 * i.hit_rate, 0) + "%)</td><td>" + human.seconds(i.last_seconds) + "</td><td>" +
            (i.mean_built_seconds > 0 ? human.seconds(i.mean_built_seconds) : "-") + "</td><td>" +
            EscapeHtml(human.bytes(i.size)) + "</td><td>" + EscapeHtml(change) + "</td><td>" + budget +
            "</td></tr>\n";
  }
  return html + "</table>\n";
}

constexpr const char* kStyle = R"css(
body { font: 14px/1.4 sans-serif; margin: 24px; color: #222222; background: #ffffff; }
h1 { font-size: 22px; margin: 0 0 8px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
svg { display: block; }
svg text { font: 12px sans-serif; fill: #222222; }
.axis { stroke: #888888; stroke-width: 1; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #dddddd; padding: 4px 10px; text-align: left; }
)css";

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string RenderReportPage(const BuildReport& report, const PageFormatters& human) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may be loaded from anywhere: the page is one file.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n"
      "<title>plinth build report</title>\n<style>" +
      std::string(kStyle) + "</style>\n</head>\n<body>\n<h1>plinth build report</h1>\n";
  if (!report.last_build) return html + "<p>No builds recorded.</p>\n</body>\n</html>\n";
  const auto& last = report.builds.back();
  std::string id = "#" + std::to_string(*report.last_build);
  html += "<p>" + std::to_string(report.builds.size()) + " build" +
          (report.builds.size() == 1 ? "" : "s") + "; the last, " + id + ", took " +
          human.seconds(last.seconds) + ": built " + std::to_string(last.built) + ", cached " +
          std::to_string(last.cached) + ", failed " + std::to_string(last.failed) +
          ", skipped " + std::to_string(last.skipped) + ".</p>\n";
  std::string path;
  for (const auto& p : report.critical_path) path += (path.empty() ? "" : " → ") + p;
  html += "<p>Critical path of " + id + " (" + human.seconds(report.critical_seconds) +
          "): " + EscapeHtml(path) + "</p>\n";
  html += "<h2>Compressed size per image</h2>\n" + SizeChart(report, human);
  html += "<h2>Build time per phase of " + id + "</h2>\n" + PhaseChart(report, human);
  html += "<h2>Timeline of " + id + "</h2>\n" + GanttChart(report, human);
  html += "<h2>Images</h2>\n" + ImageTable(report, human);
  return html + "</body>\n</html>\n";
}

}  // namespace plinth::metrics
