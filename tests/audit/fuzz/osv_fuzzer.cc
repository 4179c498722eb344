// libFuzzer target for OSV vulnerability databases as plinth reads them (audit/osv_*.h): any
// bytes are parsed as one advisory, whose Debian entries are then evaluated at a few versions
// and matched against a few installed packages; bytes that start as a zip are also loaded as a
// database through libarchive, and the input is scored as a CVSS 3.x vector. Nothing may crash,
// throw, leak or hit undefined behaviour; errors are fine. A base score outside 0..10, or a
// version the entry lists that it does not call affected, is a bug.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "audit/osv_advisory.h"
#include "audit/osv_database.h"
#include "audit/vuln_matcher.h"
#include "audit/vuln_report.h"
#include "audit/vuln_severity.h"

using namespace plinth;
using namespace plinth::audit;

namespace {

void Advisory(std::string_view input) {
  auto parsed = ParseOsvAdvisory(input, "fuzz.json");
  if (!parsed || parsed->outcome != OsvOutcome::kKept) return;
  std::vector<ImagePackage> packages;
  for (const OsvAffected& entry : parsed->advisory.affected) {
    for (const std::string& listed : entry.versions) {
      auto v = debian::DpkgVersion::Parse(listed);
      if (!v || !IsAffected(entry, *v)) __builtin_trap();  // checked when read; listed
    }
    for (const char* text : {"0", "1.0-1", "1:2.3~rc1-1+deb12u1", "~"}) {
      auto v = debian::DpkgVersion::Parse(text);
      if (!v) abort();
      (void)IsAffected(entry, *v);
      auto fixed = FixedVersion(entry, *v);
      if (fixed && !(*fixed > *v)) __builtin_trap();
    }
    ImagePackage p;
    p.name = entry.name;
    p.version = "1.0-1";
    p.architecture = "amd64";
    packages.push_back(p);
  }
  OsvDatabase db;
  db.Add(std::move(parsed->advisory));
  auto findings = MatchVulnerabilities(packages, db, "Debian:12");
  if (!findings) __builtin_trap();  // the installed versions are valid
  (void)FormatVulnText(*findings);
  (void)FormatVulnJsonLines(*findings);
}

void Zip(std::string_view input) {
  if (!input.starts_with("PK")) return;
  int fd = memfd_create("all.zip", MFD_CLOEXEC);
  if (fd < 0) abort();
  if (write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) abort();
  OsvLimits limits;
  limits.max_advisory_bytes = 64 << 10;
  limits.max_files = 64;
  (void)LoadOsvDatabase("/proc/self/fd/" + std::to_string(fd), limits);
  close(fd);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Advisory(input);
  Zip(input);
  auto score = Cvss3BaseScore(input);
  if (score && (*score < 0.0 || *score > 10.0)) __builtin_trap();
  return 0;
}
