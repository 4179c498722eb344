// LayerSink: a RootfsSink that writes the entries as one deterministic tar layer straight into
// the store: tar (libarchive, GNU format, numeric owners, the entries' own mtimes) ->
// sha256 of the tar (the diff_id) -> zstd on both cores -> the store's BlobWriter, which
// hashes the compressed bytes (the digest) and publishes the blob only on Finish.
//
// This is an adapter local to the debian module: it stands in for the layer module's
// TarWriter/LayerStream until those land, and keeps the same contract (memory flat, digest and
// diff_id from one pass, nothing published on failure).
#pragma once

#include <memory>

#include "debian/rootfs_sink.h"
#include "oci/descriptor.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::debian {

struct LayerResult {
  oci::Descriptor descriptor;  // the compressed blob
  oci::Digest diff_id;         // of the uncompressed tar
  uint64_t uncompressed_size = 0;
};

class LayerSink : public RootfsSink {
 public:
  static Result<std::unique_ptr<LayerSink>> Create(const oci::LayoutStore& store, int threads,
                                                   int level = 3);
  ~LayerSink() override;

  Status Add(const TarEntry& entry, ByteSource* content) override;
  Result<LayerResult> Finish();

 private:
  struct Impl;
  explicit LayerSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plinth::debian
