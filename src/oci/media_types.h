// Media types of the OCI image spec and of Docker's schema 2, which registries and tools still
// serve and expect. plinth writes OCI types; it reads both.
#pragma once

#include <string_view>

namespace plinth::oci {

inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";

inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
inline constexpr std::string_view kDockerForeignLayerGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

inline bool IsIndexType(std::string_view t) { return t == kOciIndex || t == kDockerManifestList; }
inline bool IsManifestType(std::string_view t) { return t == kOciManifest || t == kDockerManifest; }
inline bool IsGzipLayer(std::string_view t) {
  return t == kOciLayerGzip || t == kDockerLayerGzip || t == kDockerForeignLayerGzip;
}
inline bool IsZstdLayer(std::string_view t) { return t == kOciLayerZstd; }

}  // namespace plinth::oci
