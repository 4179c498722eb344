// CacheRecords: what a store remembers of the targets it built, under STORE/plinth/cache/, and
// the only code that reads or writes it. Grammar:
//
//   keys/<hex>             := digest "\n"
//       the manifest (or index) built for the key "sha256:<hex>" (cache_key.h). A hit only while
//       that manifest and every blob it reaches are in the store.
//   targets/<name>.json    := {"version": V, "key": "sha256:<hex>", "inputs": {INPUT: VALUE, …},
//                              "seconds": S}
//       the last key target <name> was made for (built, rebased or fetched), with its inputs,
//       so that `plan --explain` names what changed since, and how many seconds making it took
//       (the executor's estimate of its cost). <name> is the target's graph name with '/', ':'
//       and '@' written '_' ("api-gateway_linux_amd64"). V is kCacheFormatVersion; a record of
//       another version explains itself as "format".
//
// Writes are atomic (temporary file, rename); a record that cannot be read or parsed is as
// good as absent, so a damaged cache is a miss and never a failed build.
#pragma once

#include <optional>
#include <string>

#include "oci/layout_store.h"
#include "plan/cache_key.h"
#include "plan/target_graph.h"

namespace plinth::plan {

struct TargetRecord {
  CacheKey key;  // its inputs ("format" says "older plinth" for another version's record)
  double seconds = 0;
};

// What `plan` asks of the records; CacheRecords answers from a store, tests from memory.
class CacheIndex {
 public:
  virtual ~CacheIndex() = default;
  // The image recorded for `key`, when it is still whole in the store.
  virtual std::optional<oci::Descriptor> Image(const CacheKey& key) const = 0;
  // The last record of target `name` (a graph name, "api-gateway@linux/amd64").
  virtual std::optional<TargetRecord> Last(const std::string& name) const = 0;
};

class CacheRecords : public CacheIndex {
 public:
  explicit CacheRecords(const oci::LayoutStore& store) : store_(store) {}

  std::optional<oci::Descriptor> Image(const CacheKey& key) const override;
  std::optional<TargetRecord> Last(const std::string& name) const override;
  // Records that target `name` was made as `image` for `key`, in `seconds`.
  Status Record(const std::string& name, const CacheKey& key, const oci::Descriptor& image,
                double seconds) const;

  // The target record's text, and back (exposed for tests).
  static std::string FormatTarget(const CacheKey& key, double seconds);
  static Result<TargetRecord> ParseTarget(std::string_view text);

 private:
  std::string KeyPath(const CacheKey& key) const;
  std::string TargetPath(const std::string& name) const;

  const oci::LayoutStore& store_;
};

// Sets each target's cost to the seconds its last recorded build took (1 s when it has no
// record), so that the critical path and the executor's order follow real durations.
void ApplyRecordedCosts(const CacheIndex& records, TargetGraph* graph);

}  // namespace plinth::plan
