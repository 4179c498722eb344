// ControlFile: Debian's deb822 control format (Packages indexes, Release files, a .deb's
// control file, dpkg status records). Grammar, as dpkg reads it:
//
//   file       := (blank-line* paragraph)* blank-line*
//   paragraph  := field+                      ; ended by a blank line or end of input
//   field      := name ":" value-line continuation*
//   name       := [!-9;-~]+                   ; printable, no colon, not starting with '#' or '-'
//   continuation := (" " | "\t") text NL      ; a folded or multiline value
//   comment    := "#" text NL                 ; allowed between fields, skipped
//
// Field names are matched case-insensitively; values keep their continuation lines joined
// with "\n" (leading space removed from the first line only). Each paragraph remembers the
// line where it starts so errors point into the file.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace plinth::debian {

class ControlParagraph {
 public:
  // The value of a field, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string GetOr(std::string_view name, std::string_view fallback = "") const;
  // A field holding a decimal number (Size, Installed-Size): `fallback` when the field is
  // absent; an error at FILE:LINE naming the field when it is not a number below 2^64.
  Result<uint64_t> GetUnsigned(std::string_view name, const std::string& file,
                               uint64_t fallback = 0) const;
  // The 1-based line where a field starts (the paragraph's line if unknown).
  int LineOf(std::string_view name) const;
  void Add(std::string name, std::string value, int line = 0) {
    fields_.emplace_back(std::move(name), std::move(value));
    lines_.push_back(line);
  }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  // The paragraph re-serialized in deb822 form (field order kept), ending with "\n".
  std::string ToString() const;

  int line = 0;  // 1-based line where the paragraph starts

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<int> lines_;  // parallel to fields_
};

// A decimal number of at most 20 digits that fits in 64 bits ("0" to "18446744073709551615");
// nullopt for anything else (empty, a sign, blanks, other characters, overflow). The one
// reader of numbers in Debian control data and plinth.lock.
std::optional<uint64_t> ParseDecimalU64(std::string_view text);

// Calls `visit` for each paragraph of a stream; stops at the first error (from parsing or
// from `visit`). `file` names the input in errors.
Status ForEachParagraph(std::istream& in, const std::string& file,
                        const std::function<Status(ControlParagraph&&)>& visit);

Result<std::vector<ControlParagraph>> ParseControl(std::string_view text,
                                                   const std::string& file);

}  // namespace plinth::debian
