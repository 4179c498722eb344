// OsvDatabase: an offline vulnerability database in OSV's JSON format, held in memory as the
// Debian advisories it contains (osv_advisory.h), indexed by package name. It is read from
//   - a folder of `*.json` advisories, one per file (searched recursively; symlinks and
//     folders whose name starts with "." are skipped, and each file is read through
//     ReadFileInRoot, so every file read is inside the folder),
//   - a `.zip` of them as OSV publishes it (`Debian/all.zip`), streamed entry by entry through
//     libarchive without unpacking it to disk,
//   - or a single `.json` advisory.
// Everything in it is untrusted: each advisory is bounded in size, the number of files and the
// bytes read in total are bounded (OsvLimits), and any malformed advisory fails the load with
// an error naming the file (and the field). Withdrawn advisories and advisories with no Debian
// entry are counted and dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "audit/osv_advisory.h"
#include "util/result.h"

namespace plinth::audit {

struct OsvLimits {
  uint64_t max_advisory_bytes = 8u << 20;  // one advisory
  size_t max_files = 1'000'000;            // files (or zip entries) looked at
  uint64_t max_total_bytes = 4ull << 30;   // advisory bytes read altogether
};

struct OsvLoadFigures {
  size_t files = 0;            // advisory files read
  size_t kept = 0;             // advisories with a Debian entry
  size_t withdrawn = 0;        // skipped: `withdrawn` is set
  size_t other_ecosystem = 0;  // skipped: nothing for Debian (or the ecosystems asked) in them
};

class OsvDatabase {
 public:
  // Adds a parsed advisory (tests build databases this way too).
  void Add(OsvAdvisory advisory);

  const std::vector<OsvAdvisory>& advisories() const { return advisories_; }
  // The advisories with an entry naming `package` (a source or binary package name).
  std::span<const size_t> ForPackage(std::string_view package) const;

  const OsvLoadFigures& figures() const { return figures_; }
  OsvLoadFigures& mutable_figures() { return figures_; }

 private:
  std::vector<OsvAdvisory> advisories_;
  std::unordered_map<std::string, std::vector<size_t>> by_package_;
  OsvLoadFigures figures_;
};

// Loads the database at `path` (folder, .zip or .json, told apart by what the path is and,
// for files, by the zip signature). With `ecosystems` (the images' "Debian:12"), only the
// entries that apply to them are kept: Debian's feed gives most advisories an entry per
// release, so this divides the memory held by the number of releases. Errors: kNotFound when
// the path does not exist, kIo when it cannot be read, kInvalidInput for a malformed advisory
// or archive or a limit passed.
Result<OsvDatabase> LoadOsvDatabase(const std::string& path, const OsvLimits& limits = {},
                                    const std::vector<std::string>& ecosystems = {});

}  // namespace plinth::audit
