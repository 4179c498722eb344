// OsvAdvisory: one advisory of an OSV database (https://ossf.github.io/osv-schema/), reduced to
// what matching Debian packages needs: id, aliases, summary, and the `affected` entries of the
// Debian ecosystem ("Debian", "Debian:12", "Debian:13"), their ECOSYSTEM ranges and explicit
// versions as Debian versions, and the severity each entry resolves to (vuln_severity.h).
//
// The JSON is untrusted: a field of the wrong type, an unparseable Debian version, an event
// with no known kind or a malformed CVSS v3 vector is an error naming the file and the field
// ("DSA-1-1.json: affected[0].ranges[0].events[1].fixed: ..."); nothing throws. Withdrawn
// advisories, entries of other ecosystems and SEMVER/GIT ranges are ignored, not refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/vuln_severity.h"
#include "debian/dpkg_version.h"
#include "util/result.h"

namespace plinth::audit {

struct OsvEvent {
  enum class Kind { kIntroduced, kLastAffected, kFixed, kLimit };  // order: ties at one version
  Kind kind = Kind::kIntroduced;
  bool zero = false;  // introduced "0": before every version
  debian::DpkgVersion version;
};

// One ECOSYSTEM range, its events sorted by version (introduced "0" first) as the schema's
// evaluation requires.
struct OsvRange {
  std::vector<OsvEvent> events;
};

struct OsvAffected {
  std::string ecosystem;  // "Debian:12"; "Debian" alone applies to every release
  std::string name;       // Debian's feed names the source package ("openssl")
  std::vector<OsvRange> ranges;
  // Explicitly listed affected versions, checked to be Debian versions when read but kept as
  // text: an image's packages meet few of them, and text takes a third of the memory.
  std::vector<std::string> versions;
  VulnSeverity severity = VulnSeverity::kUnknown;
  std::string severity_origin;  // "CVSS:3.1 9.8", "urgency medium", ""
};

struct OsvAdvisory {
  std::string id;  // "DSA-5532-1", "DEBIAN-CVE-2024-1234"
  std::vector<std::string> aliases;
  std::string summary;
  std::string modified;
  std::vector<OsvAffected> affected;  // Debian entries only
  std::string file;                   // where it was read from, for messages
};

enum class OsvOutcome { kKept, kWithdrawn, kOtherEcosystem };

struct ParsedOsvAdvisory {
  OsvOutcome outcome = OsvOutcome::kKept;
  OsvAdvisory advisory;  // meaningful when kept
};

// Whether an entry of ecosystem `entry` applies to an image of ecosystem `image`: the same
// ("Debian:12"), or the bare "Debian", which OSV uses for every release.
bool EcosystemApplies(std::string_view entry, std::string_view image);

// Parses one advisory. `file` names it in errors and is kept in OsvAdvisory::file. With
// `ecosystems` given, only the entries that apply to one of them are kept (the others are not
// read further); empty, every Debian entry is.
Result<ParsedOsvAdvisory> ParseOsvAdvisory(std::string_view json, const std::string& file,
                                           const std::vector<std::string>& ecosystems = {});

// Whether `version` is affected by the entry: inside one of its ranges (introduced <= v, and
// v < fixed, v <= last_affected, v < limit), or listed in `versions`.
bool IsAffected(const OsvAffected& affected, const debian::DpkgVersion& version);
// The smallest `fixed` event of the entry above `version`; nullopt when none is (no fix yet).
std::optional<debian::DpkgVersion> FixedVersion(const OsvAffected& affected,
                                                const debian::DpkgVersion& version);

}  // namespace plinth::audit
