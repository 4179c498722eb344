// How findings are printed. Text is one line per finding, as compilers print diagnostics:
//
//   FILE:LINE:COL: SEVERITY [CODE] MESSAGE (hint: HINT)
//
// JSON is an array of {file, line, column, severity, code, aliases, message, hint}. SARIF is
// SARIF 2.1.0 (one run, tool "plinth" with every rule's metadata, one result per finding,
// levels error/warning/note) as GitHub code scanning accepts it; tests validate it against
// the official schema (tests/lint/sarif-schema-2.1.0.json).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.h"

namespace plinth::lint {

enum class ReportFormat { kText, kJson, kSarif };

std::optional<ReportFormat> ParseReportFormat(std::string_view name);
std::string FormatText(const std::vector<Finding>& findings);
std::string FormatJson(const std::vector<Finding>& findings);
std::string FormatSarif(const std::vector<Finding>& findings);
std::string FormatReport(ReportFormat format, const std::vector<Finding>& findings);

}  // namespace plinth::lint
