#include "audit/audit_rules.h"

#include <cctype>

namespace plinth::audit {
namespace {

bool EqualNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "error") return Severity::kError;
  if (name == "warning") return Severity::kWarning;
  if (name == "note") return Severity::kNote;
  return std::nullopt;
}

const std::vector<AuditRule>& AuditRules() {
  using namespace rules;
  static const std::vector<AuditRule> kRules = {
      {kUserRoot,
       "user-root",
       Severity::kError,
       {"CIS-DI-0001"},
       "The image runs as root (no USER, USER root or a user whose uid is 0).",
       "set USER to a non-root user, e.g. 65532 (distroless's nonroot)"},
      {kUserNotSeedUid,
       "user-nonroot-uid",
       Severity::kError,
       {},
       "The tier says `user: nonroot` and the image's user is not uid 65532.",
       "use a :nonroot base or USER 65532"},
      {kUserUnknown,
       "user-unknown",
       Severity::kError,
       {},
       "The image's USER names a user or group its /etc/passwd or /etc/group does not have.",
       "use a numeric uid, or add the user to /etc/passwd"},
      {kShell,
       "shell",
       Severity::kError,
       {},
       "The image holds a shell (by name, or by content: a renamed busybox is still busybox).",
       "build the runtime stage from a base without a shell and copy only what runs"},
      {kPackageManager,
       "package-manager",
       Severity::kError,
       {},
       "The image holds a package manager (apt, dpkg, apk, rpm, yum, dnf, pip, …).",
       "install packages in a builder stage and copy the result into the runtime stage"},
      {kSetid,
       "setuid-setgid",
       Severity::kError,
       {"CIS-DI-0008"},
       "A file has its setuid or setgid bit set.",
       "drop the bit (chmod u-s,g-s) in the stage that makes the file"},
      {kWorldWritable,
       "world-writable",
       Severity::kError,
       {},
       "A file or folder anyone may write to, without the sticky bit.",
       "chmod o-w, or set the sticky bit on a shared folder (1777)"},
      {kElfArchitecture,
       "elf-architecture",
       Severity::kError,
       {},
       "An ELF file is built for another machine than the image's platform.",
       "build or copy the binary for the image's architecture"},
      {kCommandMissing,
       "command-missing",
       Severity::kError,
       {},
       "The entrypoint, cmd or exec-form HEALTHCHECK does not resolve (PATH from the config's "
       "Env) to an executable file in the image.",
       "copy the program into the image, or fix the path"},
      {kInterpreterMissing,
       "interpreter-missing",
       Severity::kError,
       {},
       "A program the image runs needs an interpreter (ELF PT_INTERP or a script's #! line) "
       "that the image does not have.",
       "use a base that has it (distroless base for glibc binaries) or build the program static"},
      {kLibraryMissing,
       "library-missing",
       Severity::kError,
       {},
       "A program the image runs (or a library it loads) needs a shared library (DT_NEEDED) "
       "the dynamic loader would not find in the image.",
       "copy the library into the image or use a base that has it"},
      {kElfNotInspected,
       "elf-not-inspected",
       Severity::kNote,
       {},
       "A program the image runs could not be read far enough to know its libraries.",
       ""},
      {kPrivateKey,
       "private-key",
       Severity::kError,
       {"CIS-DI-0010"},
       "A file holds a PEM private key.",
       "mount keys at runtime (secrets, volumes); never bake them into a layer"},
      {kCloudAccessKey,
       "cloud-access-key",
       Severity::kError,
       {"CIS-DI-0010"},
       "A file holds something shaped like an AWS access key id (AKIA…).",
       "remove it and rotate the key"},
      {kEnvFile,
       "env-file",
       Severity::kError,
       {"CIS-DI-0010"},
       "The image holds a dotenv file (.env), which usually carries credentials.",
       "exclude it with .dockerignore and pass settings at runtime"},
      {kCredentialInEnv,
       "credential-in-env",
       Severity::kError,
       {"CIS-DI-0010"},
       "The config's Env sets a credential-looking variable (PASSWORD, SECRET, TOKEN, API_KEY, "
       "…) to a value, which anyone who pulls the image can read.",
       "pass the value at runtime (compose environment, secrets)"},
      {kCredentialInHistory,
       "credential-in-history",
       Severity::kError,
       {"CIS-DI-0010"},
       "A history entry (created_by) shows a credential: a build argument or ENV with a "
       "credential-looking name and a value, a private key or an access key id.",
       "use build secrets (RUN --mount=type=secret) instead of build arguments"},
      {kEmptyPassword,
       "empty-password",
       Severity::kError,
       {"DKL-LI-0001"},
       "/etc/shadow has an account with an empty password.",
       "lock the account (`*` or `!` as its password)"},
      {kWastedBytes,
       "wasted-bytes",
       Severity::kWarning,
       {},
       "Bytes of files a later layer overwrites or deletes (dive's efficiency): a warning past "
       "the policy's wasted_bytes (default 10 MB), a note below.",
       "remove files in the layer that creates them, or build in a separate stage"},
      {kLayerCount,
       "layer-count",
       Severity::kWarning,
       {},
       "The image has more layers than the policy's max_layers (default 40).",
       "merge steps or copy the result of a builder stage in one layer"},
      {kSizeBudget,
       "size-budget",
       Severity::kError,
       {},
       "The image's compressed size (layers, config, manifest) is over its tier's size_budget.",
       "shrink the image or raise the tier's size_budget"},
  };
  return kRules;
}

const AuditRule* FindAuditRule(std::string_view name) {
  for (const AuditRule& r : AuditRules()) {
    if (EqualNoCase(r.code, name) || EqualNoCase(r.slug, name)) return &r;
    for (std::string_view a : r.aliases)
      if (EqualNoCase(a, name)) return &r;
  }
  return nullptr;
}

const AuditRule& AuditRuleFor(std::string_view code) {
  for (const AuditRule& r : AuditRules())
    if (r.code == code) return r;
  return AuditRules().front();
}

}  // namespace plinth::audit
