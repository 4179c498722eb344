// UpperLayer: a RUN step's overlay upper directory written as an OCI layer. The upper holds
// exactly what the step changed, in overlayfs' format; the layer says the same in OCI's:
//   a 0:0 character device NAME          → an empty ".wh.NAME" member (NAME was removed)
//   a folder with trusted.overlay.opaque=y → the folder, and "DIR/.wh..wh..opq" (its lower
//                                           contents are gone)
//   everything else                       → the member as it is on disk: owner, mode with
//                                           setuid/setgid/sticky, symlink target; files with
//                                           several links in the upper become one file and
//                                           hard links to it
// Members are written in byte order of their names, mtimes clamped to the timestamp, through
// the layer module (layer/layer_stream.h), streamed: no file is held in memory. Sockets (a
// daemon the step started) are left out, as docker and buildah leave them out: a tar cannot
// hold one (SnapshotStore::Adopt removes them too). Other device files, names starting with
// ".wh." (which a layer reads as whiteouts), and overlay metacopy/redirect entries (which the
// mount options rule out) are refused with an error naming the path. Xattrs (file
// capabilities among them) are not carried: the layer module writes none.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "layer/compression.h"
#include "oci/descriptor.h"
#include "oci/digest.h"
#include "oci/layout_store.h"
#include "util/result.h"

namespace plinth::run {

struct UpperLayerResult {
  oci::Descriptor descriptor;  // the layer blob, in the store
  oci::Digest diff_id;
};

Result<UpperLayerResult> WriteUpperLayer(const oci::LayoutStore& store, const std::string& upper,
                                         layer::Compression compression, int64_t timestamp,
                                         // told of content bytes as they go into the layer
                                         const std::function<void(int64_t)>& on_bytes = {});

}  // namespace plinth::run
