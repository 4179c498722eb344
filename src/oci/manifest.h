// Manifest and Index: the two documents that name images. A Manifest is one image for one
// platform (a config and its layers, bottom first); an Index lists manifests (one per platform,
// or the tagged images of a layout's index.json). Both parse OCI and Docker schema 2 media types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oci/descriptor.h"

namespace plinth::oci {

struct Manifest {
  std::string media_type = std::string(kOciManifestType());
  Descriptor config;
  std::vector<Descriptor> layers;
  std::map<std::string, std::string> annotations;
  std::optional<Descriptor> subject;
  std::optional<std::string> artifact_type;

  static std::string_view kOciManifestType();
  std::string ToJsonString() const;
  static Result<Manifest> Parse(std::string_view bytes);

 private:
  static Result<Manifest> ParseUnguarded(std::string_view bytes);
};

struct Index {
  std::string media_type = std::string(kOciIndexType());
  std::vector<Descriptor> manifests;
  std::map<std::string, std::string> annotations;

  static std::string_view kOciIndexType();
  std::string ToJsonString() const;
  static Result<Index> Parse(std::string_view bytes);

 private:
  static Result<Index> ParseUnguarded(std::string_view bytes);
};

// The mediaType a manifest or index document declares (empty if none).
std::string SniffMediaType(std::string_view bytes);

}  // namespace plinth::oci
