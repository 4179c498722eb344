#include "registry/registry_client.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "oci/json_guard.h"
#include "oci/media_types.h"
#include "registry/verifying_sink.h"

namespace plinth::registry {
namespace {

// Manifests and indexes, as containerd and distribution bound them.
constexpr int64_t kMaxManifestSize = kMaxKeptBody;
const char* kUserAgent = "plinth/" PLINTH_VERSION;

std::string ManifestAccept() {
  return std::string(oci::kOciManifest) + ", " + std::string(oci::kOciIndex) + ", " +
         std::string(oci::kDockerManifest) + ", " + std::string(oci::kDockerManifestList);
}

// Reads at most `limit` bytes of another source: one chunk of a chunked upload.
class LimitedSource : public ByteSource {
 public:
  LimitedSource(ByteSource& in, int64_t limit) : in_(in), left_(limit) {}
  Result<size_t> Read(void* data, size_t size) override {
    if (left_ <= 0) return size_t{0};
    PLINTH_TRY(size_t n, in_.Read(data, std::min<size_t>(size, static_cast<size_t>(left_))));
    left_ -= static_cast<int64_t>(n);
    return n;
  }

 private:
  ByteSource& in_;
  int64_t left_;
};

// Link: </v2/name/tags/list?last=x&n=100>; rel="next"
std::string NextLink(const HttpResponse& answer) {
  std::string link = answer.Header("link");
  auto open = link.find('<');
  auto close = link.find('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return "";
  if (link.find("rel=\"next\"") == std::string::npos && link.find("rel=next") == std::string::npos)
    return "";
  return link.substr(open + 1, close - open - 1);
}

// An answer's Content-Length: -1 when there is none, an error when it is not a size.
Result<int64_t> ContentLength(const HttpResponse& answer, const std::string& doing,
                              const std::string& where) {
  std::string text = answer.Header("content-length");
  if (text.empty()) return int64_t{-1};
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0)
    return Error(ErrorKind::kIo,
                 doing + ": the registry sent Content-Length '" + text.substr(0, 40) +
                     "', which is not a size",
                 Location{where});
  return value;
}

// What a registry's error body says ({"errors":[{"code":"…","message":"…"}]}), for a message:
// string fields only (a code or message of another type is skipped), control characters
// replaced, at most kMaxErrorDetail characters.
constexpr size_t kMaxErrorDetail = 512;

std::string Printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  return out;
}

std::string ErrorBodyDetail(const std::string& body) {
  auto read = oci::ReadJsonDocument<std::string>("the registry's error body", [&] {
    std::string detail;
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (!doc.is_object()) return detail;
    auto errors = doc.find("errors");
    if (errors == doc.end() || !errors->is_array()) return detail;
    for (const auto& e : *errors) {
      if (!e.is_object()) continue;
      auto code = e.find("code");
      auto message = e.find("message");
      std::string one = code != e.end() && code->is_string() ? code->get<std::string>() : "";
      if (message != e.end() && message->is_string())
        one += (one.empty() ? "(" : " (") + message->get<std::string>() + ")";
      if (one.empty()) continue;
      if (!detail.empty()) detail += "; ";
      detail += one;
      if (detail.size() > kMaxErrorDetail) break;
    }
    return detail;
  });
  std::string detail = read ? Printable(*read) : "";
  if (detail.size() > kMaxErrorDetail) detail = detail.substr(0, kMaxErrorDetail) + "…";
  return detail;
}

}  // namespace

Error RegistryError(const HttpResponse& answer, const std::string& doing,
                    const std::string& where) {
  // The error body is the registry's (untrusted) JSON: only string fields are read, a field of
  // another type is skipped, and whatever is shown is bounded and printable.
  std::string detail = ErrorBodyDetail(answer.body);
  std::string message = doing + ": registry answered " + std::to_string(answer.status) +
                        (detail.empty() ? "" : " " + detail);
  ErrorKind kind = ErrorKind::kIo;
  int s = answer.status;
  if (s == 401 || s == 403) kind = ErrorKind::kUnauthorized;
  else if (s == 404) kind = ErrorKind::kNotFound;
  else if (s == 408 || s == 429 || s >= 500) kind = ErrorKind::kRetryable;
  else if (detail.find("DIGEST_INVALID") != std::string::npos) kind = ErrorKind::kIntegrity;
  else if (s >= 400) kind = ErrorKind::kInvalidInput;
  return Error(kind, message, Location{where});
}

RegistryClient::RegistryClient(HttpClient& http, Authenticator& auth, const RegistryHosts& hosts,
                               std::string registry, RegistryClientOptions options)
    : http_(http), auth_(auth), hosts_(hosts), registry_(std::move(registry)),
      options_(options) {}

std::string RegistryClient::Url(const std::string& host, const std::string& path) const {
  return hosts_.BaseUrl(host) + path;
}

std::string RegistryClient::Resolve(const std::string& host, const std::string& location) const {
  if (location.starts_with("http://") || location.starts_with("https://")) return location;
  return hosts_.BaseUrl(host) + (location.starts_with("/") ? "" : "/") + location;
}

std::vector<std::string> RegistryClient::ReadHosts() const {
  std::vector<std::string> hosts = hosts_.For(registry_).mirrors;
  hosts.push_back(registry_);
  return hosts;
}

Result<HttpResponse> RegistryClient::Send(const Call& call) {
  for (int round = 0;; ++round) {
    HttpRequest request;
    request.method = call.method;
    request.url = call.url;
    request.headers = call.headers;
    request.headers.emplace_back("User-Agent", kUserAgent);
    request.ca_file = hosts_.For(call.host).ca_file;
    request.response_sink = call.sink;
    std::string authorization = auth_.HeaderFor(call.host, call.scope);
    if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
    StringSource text(call.text_body ? *call.text_body : "");
    if (call.text_body) {
      request.body = &text;
      request.body_size = static_cast<int64_t>(call.text_body->size());
    } else if (call.stream_body) {
      request.body = call.stream_body;
      request.body_size = call.stream_size;
    }
    request.max_body = kMaxManifestSize;
    PLINTH_TRY(HttpResponse answer, SendFollowingRedirects(http_, std::move(request)));
    if (answer.status != 401) return answer;
    PLINTH_CHECK(auth_.OnUnauthorized(call.host, call.scope, answer, authorization,
                                      hosts_.For(call.host), hosts_.BaseUrl(call.host)));
    // A streamed body is gone; the caller's retry starts over with the new credentials.
    if (call.stream_body)
      return Error(ErrorKind::kRetryable, "authenticated; the upload must start again",
                   Location{call.url});
    if (round >= 1) return answer;
  }
}

Result<HttpResponse> RegistryClient::SendWithRetries(const Call& call) {
  return WithRetries<HttpResponse>(options_.retry, [&]() -> Result<HttpResponse> {
    PLINTH_TRY(HttpResponse answer, Send(call));
    if (answer.status == 429 || answer.status == 408 || answer.status >= 500)
      return RegistryError(answer, std::string(MethodName(call.method)), call.url);
    return answer;
  });
}

Status RegistryClient::Ping() {
  Call call{.host = registry_, .url = Url(registry_, "/v2/")};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status == 401) {
    return Error(ErrorKind::kUnauthorized, "checking the registry API: " + registry_ +
                                               " refused our credentials",
                 Location{registry_});
  }
  if (!answer.ok()) return RegistryError(answer, "checking the registry API", call.url);
  std::string version = answer.Header("docker-distribution-api-version");
  if (!version.empty() && version != "registry/2.0")
    return Error(ErrorKind::kIo, "checking the registry API: unsupported version " + version,
                 Location{call.url});
  return Ok{};
}

Result<std::optional<int64_t>> RegistryClient::StatBlob(const std::string& repo,
                                                        const oci::Digest& digest) {
  Call call{.method = HttpMethod::kHead,
            .host = registry_,
            .url = Url(registry_, "/v2/" + repo + "/blobs/" + digest.str()),
            .scope = PullScope(repo)};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status == 404) return std::optional<int64_t>();
  if (!answer.ok()) return RegistryError(answer, "checking blob " + digest.str(), call.url);
  PLINTH_TRY(int64_t length, ContentLength(answer, "checking blob " + digest.str(), call.url));
  return std::optional<int64_t>(length);
}

Status RegistryClient::FetchBlob(const std::string& repo, const oci::Descriptor& blob,
                                 ByteSink& sink) {
  std::optional<Error> last;
  for (const std::string& host : ReadHosts()) {
    std::string url = Url(host, "/v2/" + repo + "/blobs/" + blob.digest.str());
    VerifyingSink verifying(sink, blob.digest, blob.size, registry_ + "/" + repo + "@" +
                                                              blob.digest.str());
    Call call{.host = host, .url = url, .scope = PullScope(repo), .sink = &verifying};
    auto answer = Send(call);
    if (!answer) {
      last = answer.error().Context("downloading blob " + blob.digest.str());
    } else if (!answer->ok()) {
      last = RegistryError(*answer, "downloading blob " + blob.digest.str(), url);
    } else {
      auto verified = verifying.Verify();
      if (verified) return Ok{};
      last = verified.error().Context("downloading blob");
    }
    // Anything written by a failed mirror is discarded by the caller's next attempt; only
    // the last host's failure is reported. A partial write into `sink` means we cannot simply
    // continue with the next host.
    if (verifying.bytes() > 0) return *last;
  }
  return *last;
}

Result<std::string> RegistryClient::StartUpload(const std::string& repo, const std::string& query) {
  std::string empty;
  Call call{.method = HttpMethod::kPost,
            .host = registry_,
            .url = Url(registry_, "/v2/" + repo + "/blobs/uploads/" + query),
            .scope = PushScope(repo),
            .text_body = &empty};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status == 201) return std::string();  // mounted
  if (answer.status != 202) return RegistryError(answer, "starting a blob upload", call.url);
  std::string location = answer.Header("location");
  if (location.empty())
    return Error(ErrorKind::kIo, "starting a blob upload: no Location in the answer",
                 Location{call.url});
  return Resolve(registry_, location);
}

Status RegistryClient::UploadBlob(const std::string& repo, const oci::Descriptor& blob,
                                  ByteSource& source) {
  PLINTH_TRY(std::string location, StartUpload(repo, ""));
  if (location.empty()) return Ok{};
  if (options_.upload == UploadMethod::kChunked)
    return UploadChunked(repo, std::move(location), blob, source);
  std::string url = location + (location.find('?') == std::string::npos ? "?" : "&") +
                    "digest=" + blob.digest.str();
  Call call{.method = HttpMethod::kPut,
            .host = registry_,
            .url = url,
            .scope = PushScope(repo),
            .headers = {{"Content-Type", "application/octet-stream"}},
            .stream_body = &source,
            .stream_size = blob.size};
  PLINTH_TRY(HttpResponse answer, Send(call));
  if (answer.status != 201 && answer.status != 204)
    return RegistryError(answer, "uploading blob " + blob.digest.str(),
                         registry_ + "/" + repo);
  return Ok{};
}

Status RegistryClient::UploadChunked(const std::string& repo, std::string location,
                                     const oci::Descriptor& blob, ByteSource& source) {
  int64_t offset = 0;
  while (offset < blob.size) {
    int64_t n = std::min(options_.chunk_size, blob.size - offset);
    LimitedSource chunk(source, n);
    Call call{.method = HttpMethod::kPatch,
              .host = registry_,
              .url = location,
              .scope = PushScope(repo),
              .headers = {{"Content-Type", "application/octet-stream"},
                          {"Content-Range",
                           std::to_string(offset) + "-" + std::to_string(offset + n - 1)}},
              .stream_body = &chunk,
              .stream_size = n};
    PLINTH_TRY(HttpResponse answer, Send(call));
    if (answer.status != 202)
      return RegistryError(answer, "uploading a chunk of blob " + blob.digest.str(),
                           registry_ + "/" + repo);
    std::string next = answer.Header("location");
    if (!next.empty()) location = Resolve(registry_, next);
    offset += n;
  }
  std::string empty;
  Call close{.method = HttpMethod::kPut,
             .host = registry_,
             .url = location + (location.find('?') == std::string::npos ? "?" : "&") +
                    "digest=" + blob.digest.str(),
             .scope = PushScope(repo),
             .text_body = &empty};
  PLINTH_TRY(HttpResponse answer, Send(close));
  if (answer.status != 201 && answer.status != 204)
    return RegistryError(answer, "finishing the upload of blob " + blob.digest.str(),
                         registry_ + "/" + repo);
  return Ok{};
}

Result<bool> RegistryClient::MountBlob(const std::string& repo, const oci::Digest& digest,
                                       const std::string& from_repo) {
  std::string empty;
  Call call{.method = HttpMethod::kPost,
            .host = registry_,
            .url = Url(registry_, "/v2/" + repo + "/blobs/uploads/?mount=" + digest.str() +
                                      "&from=" + from_repo),
            .scope = PushScope(repo) + " " + PullScope(from_repo),
            .text_body = &empty};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status == 201) return true;
  if (answer.status == 202) {
    // The registry opened an ordinary upload instead; cancel it rather than leave it behind.
    std::string location = answer.Header("location");
    if (!location.empty()) {
      Call cancel{.method = HttpMethod::kDelete,
                  .host = registry_,
                  .url = Resolve(registry_, location),
                  .scope = call.scope};
      (void)Send(cancel);
    }
    return false;
  }
  return RegistryError(answer, "mounting blob " + digest.str() + " from " + from_repo, call.url);
}

Result<RemoteManifest> RegistryClient::GetManifest(const std::string& repo,
                                                   const std::string& reference) {
  std::string where = registry_ + "/" + repo + (reference.starts_with("sha256:") ? "@" : ":") +
                      reference;
  auto asked = oci::Digest::Parse(reference);
  std::optional<Error> last;
  for (const std::string& host : ReadHosts()) {
    Call call{.host = host,
              .url = Url(host, "/v2/" + repo + "/manifests/" + reference),
              .scope = PullScope(repo),
              .headers = {{"Accept", ManifestAccept()}}};
    auto answer = SendWithRetries(call);
    if (!answer) {
      last = answer.error().Context("getting manifest");
      continue;
    }
    if (!answer->ok()) {
      last = RegistryError(*answer, "getting manifest", where);
      continue;
    }
    if (static_cast<int64_t>(answer->body.size()) > kMaxManifestSize) {
      last = Error(ErrorKind::kIntegrity,
                   "getting manifest: it is larger than the " +
                       std::to_string(kMaxManifestSize >> 20) + " MiB plinth accepts",
                   Location{where});
      continue;
    }
    oci::Digest actual = oci::Digest::Of(answer->body);
    oci::Digest expected = asked ? *asked : actual;
    if (!asked) {
      if (auto header = oci::Digest::Parse(answer->Header("docker-content-digest")); header)
        expected = *header;
    }
    if (expected.algorithm() == "sha256" && actual != expected) {
      last = IntegrityError("getting manifest: digest mismatch: expected " + expected.str() +
                                ", got " + actual.str(),
                            Location{where});
      continue;
    }
    RemoteManifest out;
    out.bytes = std::move(answer->body);
    out.descriptor.digest = actual;
    out.descriptor.size = static_cast<int64_t>(out.bytes.size());
    out.descriptor.media_type = oci::SniffMediaType(out.bytes);
    if (out.descriptor.media_type.empty()) {
      std::string type = answer->Header("content-type");
      out.descriptor.media_type = type.substr(0, type.find(';'));
    }
    if (!oci::IsManifestType(out.descriptor.media_type) &&
        !oci::IsIndexType(out.descriptor.media_type)) {
      last = Error(ErrorKind::kInvalidInput,
                   "getting manifest: unsupported media type '" + out.descriptor.media_type +
                       "' (plinth reads OCI and Docker schema 2 images)",
                   Location{where});
      continue;
    }
    return out;
  }
  return *last;
}

Result<std::optional<oci::Descriptor>> RegistryClient::StatManifest(const std::string& repo,
                                                                    const std::string& reference) {
  Call call{.method = HttpMethod::kHead,
            .host = registry_,
            .url = Url(registry_, "/v2/" + repo + "/manifests/" + reference),
            .scope = PullScope(repo),
            .headers = {{"Accept", ManifestAccept()}}};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status == 404) return std::optional<oci::Descriptor>();
  std::string where = registry_ + "/" + repo + ":" + reference;
  if (!answer.ok()) return RegistryError(answer, "checking manifest", where);
  oci::Descriptor d;
  std::string type = answer.Header("content-type");
  d.media_type = type.substr(0, type.find(';'));
  auto digest = oci::Digest::Parse(answer.Header("docker-content-digest"));
  if (!digest) {
    // Without the header, the digest needs the bytes.
    PLINTH_TRY(RemoteManifest m, GetManifest(repo, reference));
    return std::optional<oci::Descriptor>(m.descriptor);
  }
  d.digest = *digest;
  PLINTH_TRY(int64_t length, ContentLength(answer, "checking manifest", where));
  d.size = length < 0 ? 0 : length;
  return std::optional<oci::Descriptor>(d);
}

Result<oci::Descriptor> RegistryClient::PutManifest(const std::string& repo,
                                                    const std::string& reference,
                                                    const std::string& bytes,
                                                    const std::string& media_type) {
  std::string where = registry_ + "/" + repo + (reference.starts_with("sha256:") ? "@" : ":") +
                      reference;
  Call call{.method = HttpMethod::kPut,
            .host = registry_,
            .url = Url(registry_, "/v2/" + repo + "/manifests/" + reference),
            .scope = PushScope(repo),
            .headers = {{"Content-Type", media_type}},
            .text_body = &bytes};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  if (answer.status != 201 && answer.status != 200 && answer.status != 202)
    return RegistryError(answer, "putting manifest", where);
  oci::Descriptor d{.media_type = media_type,
                    .digest = oci::Digest::Of(bytes),
                    .size = static_cast<int64_t>(bytes.size())};
  if (auto header = oci::Digest::Parse(answer.Header("docker-content-digest"));
      header && *header != d.digest)
    return IntegrityError("putting manifest: the registry stored it as " + header->str() +
                              ", not " + d.digest.str(),
                          Location{where});
  return d;
}

Result<std::vector<std::string>> RegistryClient::ListTags(const std::string& repo) {
  std::vector<std::string> tags;
  std::string url = Url(registry_, "/v2/" + repo + "/tags/list?n=1000");
  for (int page = 0; page < 10000 && !url.empty(); ++page) {
    Call call{.host = registry_, .url = url, .scope = PullScope(repo)};
    PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
    if (!answer.ok()) return RegistryError(answer, "listing tags", registry_ + "/" + repo);
    auto doc = nlohmann::json::parse(answer.body, nullptr, false);
    if (!doc.is_object())
      return Error(ErrorKind::kIo, "listing tags: the answer is not JSON",
                   Location{registry_ + "/" + repo});
    if (doc.contains("tags") && doc["tags"].is_array())
      for (const auto& t : doc["tags"])
        if (t.is_string()) tags.push_back(t.get<std::string>());
    std::string next = NextLink(answer);
    url = next.empty() ? "" : Resolve(registry_, next);
  }
  return tags;
}

Result<std::optional<oci::Index>> RegistryClient::Referrers(const std::string& repo,
                                                            const oci::Digest& digest,
                                                            const std::string& artifact_type) {
  std::string url = Url(registry_, "/v2/" + repo + "/referrers/" + digest.str());
  if (!artifact_type.empty()) url += "?artifactType=" + artifact_type;
  Call call{.host = registry_, .url = url, .scope = PullScope(repo)};
  PLINTH_TRY(HttpResponse answer, SendWithRetries(call));
  std::string where = registry_ + "/" + repo + "@" + digest.str();
  if (answer.ok()) {
    auto index = oci::Index::Parse(answer.body);
    if (!index) return index.error().Context("reading referrers of " + digest.str());
    if (!artifact_type.empty()) {
      // A registry that ignored the filter says so in OCI-Filters-Applied; filter here anyway.
      std::erase_if(index->manifests, [&](const oci::Descriptor& d) {
        return d.artifact_type.value_or("") != artifact_type;
      });
    }
    return std::optional<oci::Index>(std::move(*index));
  }
  if (answer.status != 404) return RegistryError(answer, "listing referrers", where);
  // Fallback (distribution-spec 1.1): an index tagged sha256-<hex>.
  PLINTH_TRY(auto tagged, StatManifest(repo, "sha256-" + digest.hex()));
  if (!tagged) return std::optional<oci::Index>();
  PLINTH_TRY(RemoteManifest m, GetManifest(repo, "sha256-" + digest.hex()));
  auto index = oci::Index::Parse(m.bytes);
  if (!index) return index.error().Context("reading the referrers tag of " + digest.str());
  if (!artifact_type.empty())
    std::erase_if(index->manifests, [&](const oci::Descriptor& d) {
      return d.artifact_type.value_or("") != artifact_type;
    });
  return std::optional<oci::Index>(std::move(*index));
}

}  // namespace plinth::registry
