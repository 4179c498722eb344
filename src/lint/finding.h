// Finding: one problem lint found, at FILE:LINE:COL, with the rule's code (PLnnn), the
// aliases it answers to (hadolint's DLnnnn), a severity, a message and a fix hint. Severities
// order as hadolint's do: error > warning > info > style > ignore (ignore is never printed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace plinth::lint {

enum class Severity { kError = 0, kWarning = 1, kInfo = 2, kStyle = 3, kIgnore = 4 };

const char* SeverityName(Severity severity);  // "error", "warning", ...
std::optional<Severity> ParseSeverity(std::string_view name);
// Whether `a` is at least as severe as `b`.
inline bool AtLeast(Severity a, Severity b) { return static_cast<int>(a) <= static_cast<int>(b); }

struct Finding {
  Location location;
  Severity severity = Severity::kError;
  std::string code;                  // "PL103"
  std::vector<std::string> aliases;  // {"DL3002"} or {"runtime-user-nonroot"}
  std::string message;
  std::string hint;                  // what to do about it; may be empty
};

// By file, line, column, then code: the order every output uses.
bool FindingLess(const Finding& a, const Finding& b);

}  // namespace plinth::lint
