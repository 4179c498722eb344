// ImageRebaser: moves an image to a new base without running any of its stages, as
// `crane rebase` does: the old base's layers at the bottom of the image are swapped for the new
// base's, the image's own layers stay byte for byte.
//
//   image    = old base layers (N)            + own layers
//   rebased  = new base layers (M)            + own layers
//   diff_ids and history are spliced the same way (the old base's history entries are replaced
//   by the new base's; the image's own entries follow).
//
// The old base is what the image records in its manifest annotations
// (org.opencontainers.image.base.name/.digest, written by plinth's builds); it must still be in
// the store, and the image's first N diff_ids must be exactly its diff_ids. An image plinth
// marked unsafe to rebase (kRebaseUnsafeAnnotation: its own layers came from a RUN on the base's
// files) is refused with that reason.
//
// Config: a three-way merge, where crane keeps the image's config as it is. For each field
// (user, working dir, entrypoint, cmd, shell, stop signal, healthcheck) and each env variable
// and label key: if the image's value equals the old base's, the image inherited it and gets
// the new base's value (a base that moves SSL_CERT_FILE or bumps its version label passes that
// on); if the image set its own, the image's wins. Exposed ports and volumes: the image's,
// minus those the old base had and the new one dropped, plus those the new base added.
// Created, author, platform, ONBUILD and everything plinth does not model stay the image's (so
// the result is reproducible). The new base must be for the same os/architecture/variant.
// For a stage that only copies and sets config, the result is digest for digest the image a
// rebuild on the new base makes (tests/e2e/rebase_test.cc checks it).
#pragma once

#include <string>

#include "builder/image_source.h"
#include "oci/image.h"
#include "oci/layout_store.h"

namespace plinth::builder {

struct RecordedBase {
  std::string name;  // org.opencontainers.image.base.name
  oci::Digest digest;
};

// The base an image records in its annotations; kInvalidInput if it records none.
Result<RecordedBase> RecordedBaseOf(const oci::Image& image, const std::string& what);

// `image` (on `old_base`) moved onto `new_base`, in memory; its annotations name the new base.
// Refuses unsafe images and images whose bottom layers are not `old_base`'s.
Result<oci::Image> SpliceBase(const oci::Image& image, const oci::Image& old_base,
                              const ResolvedImage& new_base, const std::string& what);

struct RebaseResult {
  oci::Descriptor before;  // the image's manifest before
  oci::Descriptor after;   // and after (== before when it was already on the new base)
  RecordedBase old_base;
  RecordedBase new_base;
  bool unchanged = false;
};

// A rebase checked and spliced in memory, nothing written yet (so a command rebasing several
// images can refuse them all before writing any).
struct PreparedRebase {
  RebaseResult result;  // `after` is set by CommitRebase
  oci::Image image;     // the rebased image
};

// Reads the image `manifest` from the store, finds its old base there by digest and splices
// it onto `new_base`. `what` names the image in errors ("redis (linux/amd64)").
Result<PreparedRebase> PrepareRebase(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                     const ResolvedImage& new_base, const std::string& what);

// Writes the prepared image and tags it `tag` (unless `tag` is empty).
Result<RebaseResult> CommitRebase(const oci::LayoutStore& store, const PreparedRebase& prepared,
                                  const std::string& tag);

// PrepareRebase then CommitRebase.
Result<RebaseResult> RebaseStoredImage(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                       const ResolvedImage& new_base, const std::string& tag,
                                       const std::string& what);

}  // namespace plinth::builder
