// How findings are printed. Text is one line per finding, as compilers print diagnostics:
//
//   FILE:LINE:COL: SEVERITY [CODE] MESSAGE (hint: HINT)
//
// JSON is an array of {file, line, column, severity, code, aliases, message, hint}. SARIF is
// SARIF 2.1.0 (one run, tool "plinth" with every rule's metadata, one result per finding,
// levels error/warning/note) as GitHub code scanning accepts it; tests validate it against
// the official schema (tests/lint/sarif-schema-2.1.0.json).
//
// The formats hadolint's users feed to their CI name findings by hadolint's code (DL3006) when
// the rule has one, else by plinth's (PL101) or ShellCheck's (SC2086):
//   checkstyle          Checkstyle 4.3 XML, one <file> per file, <error line column severity
//                       message source>, as Jenkins' warnings plugin reads it
//   gitlab_codeclimate  GitLab's Code Quality JSON array: check_name, description, severity
//                       (blocker/major/info/minor), location.path/lines.begin and a fingerprint
//                       (SHA-256 of file, line, column, code and message: stable across runs)
//   codeclimate         Code Climate engine output: the same issues without fingerprints, each
//                       JSON object followed by a NUL byte, as Code Climate reads engines
//   gnu                 `plinth:FILE:LINE:COL: CODE SEVERITY: MESSAGE`, GNU's error format
//   tty                 text for a person, severity in colour when `colour` is set (the CLI
//                       decides: a terminal, NO_COLOR unset, no `no-color` configured)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/finding.h"

namespace plinth::lint {

enum class ReportFormat { kText, kJson, kSarif, kCheckstyle, kGitlabCodeclimate, kCodeclimate, kGnu, kTty };

struct FormatOptions {
  bool colour = false;  // tty only
};

std::optional<ReportFormat> ParseReportFormat(std::string_view name);
std::string FormatText(const std::vector<Finding>& findings);
std::string FormatJson(const std::vector<Finding>& findings);
std::string FormatSarif(const std::vector<Finding>& findings);
std::string FormatCheckstyle(const std::vector<Finding>& findings);
std::string FormatGitlabCodeclimate(const std::vector<Finding>& findings);
std::string FormatCodeclimate(const std::vector<Finding>& findings);
std::string FormatGnu(const std::vector<Finding>& findings);
std::string FormatTty(const std::vector<Finding>& findings, bool colour);
std::string FormatReport(ReportFormat format, const std::vector<Finding>& findings,
                         const FormatOptions& options = {});
// The names ParseReportFormat accepts, for messages: "text, json, sarif, …".
std::string ReportFormatNames();

}  // namespace plinth::lint
