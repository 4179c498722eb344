// The image audit's rules: each has a stable code (PA1nn: PA10x the user, PA11x shells and
// package managers, PA12x file modes, PA13x what runs and what it loads, PA14x secrets, PA15x
// size), a slug, a default severity and the dockle checkpoint codes it answers to. Suppressions
// and --explain name a rule by any of the three. docs/audit.md describes each.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plinth::audit {

enum class Severity { kError = 0, kWarning = 1, kNote = 2 };

const char* SeverityName(Severity severity);  // "error", "warning", "note"
std::optional<Severity> ParseSeverity(std::string_view name);
// Whether `a` is at least as severe as `b`.
inline bool AtLeast(Severity a, Severity b) { return static_cast<int>(a) <= static_cast<int>(b); }

struct AuditRule {
  std::string_view code;  // "PA101"
  std::string_view slug;  // "user-root"
  Severity severity;
  std::vector<std::string_view> aliases;  // dockle: {"CIS-DI-0001"}
  std::string_view summary;
  std::string_view hint;  // what to do about a finding
};

namespace rules {
inline constexpr std::string_view kUserRoot = "PA101";
inline constexpr std::string_view kUserNotSeedUid = "PA102";
inline constexpr std::string_view kUserUnknown = "PA103";
inline constexpr std::string_view kShell = "PA110";
inline constexpr std::string_view kPackageManager = "PA111";
inline constexpr std::string_view kSetid = "PA120";
inline constexpr std::string_view kWorldWritable = "PA121";
inline constexpr std::string_view kElfArchitecture = "PA130";
inline constexpr std::string_view kCommandMissing = "PA131";
inline constexpr std::string_view kInterpreterMissing = "PA132";
inline constexpr std::string_view kLibraryMissing = "PA133";
inline constexpr std::string_view kElfNotInspected = "PA134";
inline constexpr std::string_view kPrivateKey = "PA140";
inline constexpr std::string_view kCloudAccessKey = "PA141";
inline constexpr std::string_view kEnvFile = "PA142";
inline constexpr std::string_view kCredentialInEnv = "PA143";
inline constexpr std::string_view kCredentialInHistory = "PA144";
inline constexpr std::string_view kEmptyPassword = "PA145";
inline constexpr std::string_view kWastedBytes = "PA150";
inline constexpr std::string_view kLayerCount = "PA151";
inline constexpr std::string_view kSizeBudget = "PA152";
}  // namespace rules

const std::vector<AuditRule>& AuditRules();
// By code, slug or alias (case-insensitive); nullptr if none.
const AuditRule* FindAuditRule(std::string_view name);
// By code; the rule must exist.
const AuditRule& AuditRuleFor(std::string_view code);

}  // namespace plinth::audit
