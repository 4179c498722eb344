#include "builder/fleet_pusher.h"

#include "registry/referrers_pusher.h"
#include "registry/remote_cache.h"

namespace plinth::builder {

Result<oci::Reference> FleetPusher::Destination(const std::string& image) const {
  PLINTH_TRY(oci::Reference ref, oci::Reference::Parse(image));
  if (push_to_.empty()) return ref;
  std::string moved = push_to_ + "/" + ref.path() + (ref.has_digest() ? "@" + ref.digest().str()
                                                                       : ":" + ref.tag());
  auto dest = oci::Reference::Parse(moved);
  if (!dest) return dest.error().Context("--push-to " + push_to_);
  return dest;
}

Result<registry::PushResult> FleetPusher::Push(const oci::LayoutStore& store,
                                               const std::string& image,
                                               const oci::Descriptor& root) {
  PLINTH_TRY(oci::Reference dest, Destination(image));
  registry::Pusher pusher(registries_.Client(dest.domain()), store, {.known = &known_});
  auto pushed = pusher.Push(root, dest.path(), dest.has_digest() ? "" : dest.tag());
  if (!pushed) return pushed.error().Context("pushing " + image + " to " + dest.str());
  // What the store attaches to the image (its SBOM) goes with it, listed under its subject.
  auto referrers = registry::PushReferrers(registries_.Client(dest.domain()), pusher, store, root,
                                           dest.path(), &*pushed);
  if (!referrers) return referrers.error().Context("pushing the artifacts of " + image);
  std::lock_guard lock(mu_);
  ++totals_.images;
  totals_ += *pushed;
  return pushed;
}

Status FleetPusher::RecordKey(const std::string& image, const std::string& key,
                              const oci::Descriptor& pushed) {
  PLINTH_TRY(oci::Reference dest, Destination(image));
  registry::RemoteCache cache(registries_.Client(dest.domain()), dest.path());
  return cache.Record(key, pushed);
}

PushTotals FleetPusher::Totals() const {
  std::lock_guard lock(mu_);
  return totals_;
}

}  // namespace plinth::builder
