// Descriptor: what points at a blob (media type, digest, size) plus the optional platform and
// annotations that index entries carry. JSON field names follow the OCI image spec.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "oci/digest.h"
#include "oci/platform.h"

namespace plinth::oci {

// Annotation keys plinth reads and writes.
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
inline constexpr const char* kBaseNameAnnotation = "org.opencontainers.image.base.name";
inline constexpr const char* kBaseDigestAnnotation = "org.opencontainers.image.base.digest";
inline constexpr const char* kCreatedAnnotation = "org.opencontainers.image.created";
inline constexpr const char* kSourceAnnotation = "org.opencontainers.image.source";

struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = 0;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
  std::optional<std::string> artifact_type;

  nlohmann::json ToJson() const;
  static Result<Descriptor> FromJson(const nlohmann::json& j);
};

// Helpers shared by the JSON models: typed field access with a clear error.
Result<std::string> JsonString(const nlohmann::json& j, const char* key, bool required = true);

}  // namespace plinth::oci
