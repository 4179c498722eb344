// RegistryClient: the OCI distribution API (distribution-spec v1.1) for one registry, as crane's
// `remote` speaks it: version check, blob HEAD/GET, monolithic and chunked uploads,
// cross-repository mounts, manifest and index GET/HEAD/PUT with `Accept` negotiation (OCI and
// Docker schema 2), tag listing and the referrers API (with the `sha256-<hex>` tag fallback).
//
// Small calls (HEAD, manifests, tags) retry transient failures themselves. Blob transfers are
// single attempts over a caller's stream, because only the caller can rewind it: Pusher and
// Puller retry them with a fresh source or sink. Every body that comes down is checked against
// its digest and size as it streams; a mismatch is kIntegrity, and nothing unverified is
// returned. Reads try the registry's mirrors first, then the registry; writes go to the registry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/descriptor.h"
#include "oci/manifest.h"
#include "registry/authenticator.h"
#include "registry/http_client.h"
#include "registry/registry_config.h"
#include "registry/retry_policy.h"

namespace plinth::registry {

// A manifest or index as the registry serves it: the exact bytes (whose digest is the image's
// identity) and their descriptor.
struct RemoteManifest {
  oci::Descriptor descriptor;
  std::string bytes;
};

enum class UploadMethod { kMonolithic, kChunked };

struct RegistryClientOptions {
  RetryPolicy retry;
  UploadMethod upload = UploadMethod::kMonolithic;
  int64_t chunk_size = 16 << 20;  // for kChunked
};

class RegistryClient {
 public:
  RegistryClient(HttpClient& http, Authenticator& auth, const RegistryHosts& hosts,
                 std::string registry, RegistryClientOptions options = {});

  const std::string& registry() const { return registry_; }
  const RegistryClientOptions& options() const { return options_; }

  // GET /v2/: the registry speaks the distribution API and accepts our credentials (if any).
  Status Ping();

  // HEAD a blob: its size if the registry has it, nullopt if not.
  Result<std::optional<int64_t>> StatBlob(const std::string& repo, const oci::Digest& digest);
  // One attempt: streams the blob into `sink`, checking size and digest on the way.
  Status FetchBlob(const std::string& repo, const oci::Descriptor& blob, ByteSink& sink);
  // One attempt: uploads `blob.size` bytes of `source` as `blob.digest` (the registry checks the
  // digest before it links the blob).
  Status UploadBlob(const std::string& repo, const oci::Descriptor& blob, ByteSource& source);
  // Cross-repository mount: true if the registry linked the blob from `from_repo` without an
  // upload; false if it does not have it there (or does not mount).
  Result<bool> MountBlob(const std::string& repo, const oci::Digest& digest,
                         const std::string& from_repo);

  // `reference` is a tag or a digest. The answer's bytes are verified against the digest asked
  // for, or against the registry's Docker-Content-Digest for a tag.
  Result<RemoteManifest> GetManifest(const std::string& repo, const std::string& reference);
  // HEAD a manifest: its descriptor, or nullopt if the tag or digest is unknown.
  Result<std::optional<oci::Descriptor>> StatManifest(const std::string& repo,
                                                      const std::string& reference);
  Result<oci::Descriptor> PutManifest(const std::string& repo, const std::string& reference,
                                      const std::string& bytes, const std::string& media_type);
  Result<std::vector<std::string>> ListTags(const std::string& repo);
  // The index of manifests that refer to `digest` (optionally of one artifact type); nullopt
  // when the registry offers neither the referrers API nor a fallback tag.
  Result<std::optional<oci::Index>> Referrers(const std::string& repo, const oci::Digest& digest,
                                              const std::string& artifact_type = "");

 private:
  struct Call {
    HttpMethod method = HttpMethod::kGet;
    std::string host;  // the registry or mirror the URL points at (for auth)
    std::string url;
    std::string scope;
    HttpHeaders headers;
    const std::string* text_body = nullptr;  // replayable
    ByteSource* stream_body = nullptr;       // single use
    int64_t stream_size = 0;
    ByteSink* sink = nullptr;
  };
  Result<HttpResponse> Send(const Call& call);
  Result<HttpResponse> SendWithRetries(const Call& call);
  // Hosts to read from: mirrors, then the registry itself.
  std::vector<std::string> ReadHosts() const;
  std::string Url(const std::string& host, const std::string& path) const;
  std::string Resolve(const std::string& host, const std::string& location) const;
  Result<std::string> StartUpload(const std::string& repo, const std::string& query);
  Status UploadChunked(const std::string& repo, std::string location, const oci::Descriptor& blob,
                       ByteSource& source);

  HttpClient& http_;
  Authenticator& auth_;
  const RegistryHosts& hosts_;
  std::string registry_;
  RegistryClientOptions options_;
};

// The error for a registry answer that is not a success: kind from the status (401/403
// unauthorized, 404 not found, 429/5xx retryable), message from the registry's error JSON.
Error RegistryError(const HttpResponse& answer, const std::string& doing, const std::string& where);

}  // namespace plinth::registry
