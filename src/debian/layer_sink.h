// LayerSink: a RootfsSink that writes the entries as one deterministic tar layer straight into
// the store: tar (libarchive, GNU format, numeric owners, the entries' own mtimes) -> the layer
// module's LayerStream (diff_id, gzip or zstd on every core, digest, in one pass) -> the store's
// BlobWriter, which publishes the blob only on Finish. Memory stays flat; nothing is published
// on failure. The tar is libarchive's, not layer::TarWriter's, so that the digests of bases
// built from the same lock do not move.
#pragma once

#include <memory>

#include "debian/rootfs_sink.h"
#include "layer/compression.h"
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
  // `level` 0: the compressor's default (see layer/layer_stream.h).
  static Result<std::unique_ptr<LayerSink>> Create(const oci::LayoutStore& store,
                                                   layer::Compression compression, int level = 0);
  ~LayerSink() override;

  Status Add(const TarEntry& entry, ByteSource* content) override;
  Result<LayerResult> Finish();

 private:
  struct Impl;
  explicit LayerSink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plinth::debian
