// LayerOptions: what makes a layer reproducible. By default (as ko and apko do) every entry's
// mtime is 0 and every owner is root; SOURCE_DATE_EPOCH or an explicit timestamp raises the
// clamp (entries newer than it get it, older ones keep theirs), and `owner` sets uid:gid.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "layer/compression.h"
#include "layer/tar_entry.h"
#include "util/result.h"

namespace plinth::layer {

struct Owner {
  uint32_t uid = 0;
  uint32_t gid = 0;
};

struct LayerOptions {
  Compression compression = Compression::kGzip;
  int level = 0;  // 0: the compressor's default
  // Entry mtimes are clamped to this (seconds since the epoch).
  int64_t timestamp = 0;
  // Every entry's uid:gid. Unset: files from disk are 0:0, explicit entries keep theirs.
  std::optional<Owner> owner;

  // Defaults, with `timestamp` from SOURCE_DATE_EPOCH when it is set (an error if malformed).
  static Result<LayerOptions> FromEnvironment();
};

// Parses a timestamp in decimal seconds, as SOURCE_DATE_EPOCH and --timestamp give it.
Result<int64_t> ParseTimestamp(std::string_view text);
// Parses "UID:GID" (both numeric and required, as --owner takes them).
Result<Owner> ParseOwner(std::string_view text);

// Applies the clamp and the owner override to an entry about to be written.
void NormalizeEntry(TarEntry& entry, const LayerOptions& options);

}  // namespace plinth::layer
