// CacheKey: the content address of a target's inputs. A target whose key is already in the
// store is not built again. The key is the sha256 of its inputs written in a canonical form:
//
//   key     := sha256( "plinth-cache-v" VERSION "\n" input* )
//   input   := name "\0" value "\n"        (inputs sorted by name; names are unique)
//
// Inputs are named so that `plinth plan --explain` can say which one changed:
//   "platform", "dockerfile" (the stages used, after expansion), "arg:NAME",
//   "context:PATH" (sha256 of a context file, after .dockerignore), "base:REF" (digest of a
//   base image), "recipe:NAME" (lock digest), "format" (plinth's own format version).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/result.h"

namespace plinth::plan {

// Bump when anything about how plinth turns inputs into images changes.
inline constexpr int kCacheFormatVersion = 1;

class CacheKey {
 public:
  void Add(const std::string& name, const std::string& value) { inputs_[name] = value; }
  const std::map<std::string, std::string>& inputs() const { return inputs_; }
  // "sha256:<hex>" of the canonical form.
  std::string Digest() const;

  // The inputs as JSON (for the record the next --explain compares against), and back.
  std::string ToJson() const;
  static Result<CacheKey> FromJson(const std::string& json);

  // Human-readable differences from `before` ("context:app/main.py changed", "arg:X added").
  std::vector<std::string> Diff(const CacheKey& before) const;

 private:
  std::map<std::string, std::string> inputs_;
};

}  // namespace plinth::plan
