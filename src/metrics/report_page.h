// The build report as one self-contained HTML page (`plinth report --html FILE`): inline CSS and
// SVG charts, no script and no external URL (its Content-Security-Policy forbids loading
// anything, so a browser would say so if a URL slipped in). Charts: each image's compressed size
// over the recent builds, the last build's time per phase, and a Gantt chart of the last build
// with its critical path outlined. The same report gives the same bytes; every name is escaped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "metrics/build_report.h"

namespace plinth::metrics {

// The charts' colours, fixed so that a screenshot can be checked for them.
inline constexpr std::string_view kPhaseBarColour = "#e07a5f";
inline constexpr std::string_view kBuiltBarColour = "#3d85c6";
inline constexpr std::string_view kCachedBarColour = "#6aa84f";
inline constexpr std::string_view kFailedBarColour = "#cc0000";
inline constexpr std::string_view kOtherBarColour = "#999999";
// One per image in the size chart, in the report's image order, repeating.
inline constexpr std::string_view kSeriesColours[] = {"#1b6ca8", "#d1495b", "#edae49", "#00798c",
                                                      "#6a4c93", "#66a182", "#8d6a9f", "#2e4057"};

// How sizes ("1.2 MB") and times ("850ms") are written: the CLI's formatters, so that the page
// reads like the terminal.
struct PageFormatters {
  std::function<std::string(int64_t bytes)> bytes;
  std::function<std::string(double seconds)> seconds;
};

std::string RenderReportPage(const BuildReport& report, const PageFormatters& human);

// `text` with & < > " ' as character references: safe in element content and quoted attributes.
std::string EscapeHtml(std::string_view text);

}  // namespace plinth::metrics
