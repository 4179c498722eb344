// CacheKey: the content address of a target's inputs. A target whose key is already in the
// store is not built again. The key is the sha256 of its inputs written in a canonical form:
//
//   key     := sha256( "plinth-cache-v" VERSION "\n" input* )
//   input   := name "\0" value "\n"        (inputs sorted by name; names are unique)
//
// Inputs are named so that `plinth plan --explain` can say which one changed; which inputs a
// target has is TargetKey's business (target_key.h). The records of keys in the store are
// CacheRecords' (cache_records.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::plan {

// Bump when anything about how plinth turns inputs into images changes: every target is built
// once more after an upgrade. 2: the key covers global ARGs, file modes, links, heredocs,
// ONBUILD triggers, SOURCE_DATE_EPOCH and one lock section. 3: gzip layers are libdeflate
// members, the same bytes in every process (layer/parallel_gzip_writer.h).
inline constexpr int kCacheFormatVersion = 3;

class CacheKey {
 public:
  void Add(const std::string& name, const std::string& value) { inputs_[name] = value; }
  const std::map<std::string, std::string>& inputs() const { return inputs_; }
  // "sha256:<hex>" of the canonical form.
  std::string Digest() const;

  // Human-readable differences from `before` ("context:app/main.py changed", "arg:X added").
  std::vector<std::string> Diff(const CacheKey& before) const;

 private:
  std::map<std::string, std::string> inputs_;
};

}  // namespace plinth::plan
