// ShellLex: variable expansion and word splitting for Dockerfile arguments, with the rules of
// BuildKit's frontend/dockerfile/shell (not a real shell): `$V`, `${V}`, `${V:-d}`, `${V-d}`,
// `${V:+a}`, `${V+a}`, `${V?m}`, `${V:?m}`, `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`,
// `${V/p/r}`, `${V//p/r}`; single quotes are literal, double quotes expand, the escape token
// (`\` or `` ` ``) escapes. Positional and special parameters ($1, $@, ...) are always unset.
// Errors are values whose message matches BuildKit's ("failed to process ...").
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace plinth::dockerfile {

// Where ShellLex looks names up.
class Environment {
 public:
  Environment() = default;
  // Copyable and (noexcept) movable, so Stages holding VarMaps move cheaply in vectors.
  Environment(const Environment&) = default;
  Environment(Environment&&) noexcept = default;
  Environment& operator=(const Environment&) = default;
  Environment& operator=(Environment&&) noexcept = default;
  virtual ~Environment() = default;
  virtual std::optional<std::string> Lookup(std::string_view name) const = 0;
};

// An ordered name → value map; the usual Environment.
class VarMap : public Environment {
 public:
  VarMap() = default;
  VarMap(std::initializer_list<std::pair<const std::string, std::string>> init) : vars_(init) {}
  std::optional<std::string> Lookup(std::string_view name) const override;
  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  bool Has(std::string_view name) const { return vars_.find(name) != vars_.end(); }
  const std::map<std::string, std::string, std::less<>>& vars() const { return vars_; }

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

struct ShellLexOptions {
  char escape_token = '\\';
  bool raw_quotes = false;           // keep quote characters in the result
  bool raw_escapes = false;          // keep escape tokens in the result
  bool skip_unset_env = false;       // leave `$UNSET` as written instead of ""
  bool skip_process_quotes = false;  // treat quotes as ordinary characters
};

struct Expansion {
  std::string word;                // the whole input, expanded (ProcessWord)
  std::vector<std::string> words;  // the input split into words after expansion
  std::set<std::string> matched;   // names that were looked up and found
  std::set<std::string> unmatched; // names looked up and not found
};

class ShellLex {
 public:
  explicit ShellLex(ShellLexOptions options = {}) : options_(options) {}

  Result<Expansion> Process(std::string_view input, const Environment& env) const;
  Result<std::string> ProcessWord(std::string_view input, const Environment& env) const;
  Result<std::vector<std::string>> ProcessWords(std::string_view input,
                                                const Environment& env) const;

 private:
  ShellLexOptions options_;
};

}  // namespace plinth::dockerfile
