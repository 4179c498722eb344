// ImageLocation: where `plinth copy` reads or writes an image, in skopeo's transport syntax:
//
//   location = [ "docker://" ] reference        a registry (the default)
//            | "store:" name                     plinth's own store (--store)
//            | "oci:" dir [ ":" name ]           another OCI image layout folder
//            | "oci-archive:" path [ ":" name ]  a tar of an OCI image layout
//
// `name` inside a layout or archive is its org.opencontainers.image.ref.name; when omitted, a
// layout's only image is meant, and a written archive or layout names the image after its
// source.
#pragma once

#include <string>
#include <string_view>

#include "oci/reference.h"
#include "util/result.h"

namespace plinth::registry {

enum class LocationKind { kRegistry, kStore, kLayout, kArchive };

struct ImageLocation {
  LocationKind kind = LocationKind::kRegistry;
  oci::Reference reference;  // kRegistry
  std::string path;          // kLayout, kArchive
  std::string name;          // kStore, kLayout, kArchive (may be empty for the last two)

  static Result<ImageLocation> Parse(std::string_view text);
  std::string str() const;
};

}  // namespace plinth::registry
