// The real (libcurl) client's bounds, against a server on 127.0.0.1 that misbehaves on purpose
// (local_http_server.h): a trickle and a silent server are cut off and retried within a budget,
// endless redirects stop at the cap for HEAD and GET, a 2 MiB manifest arrives whole, a
// manifest over 4 MiB is refused from its Content-Length or as it streams, and an endless error
// body is not read to its end. The limits are the test-friendly small ones the environment
// variables of docs/registry.md would set.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "oci/digest.h"
#include "registry/authenticator.h"
#include "registry/local_http_server.h"
#include "registry/registry_client.h"

namespace plinth::registry {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::LocalHttpServer;

HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.connect_timeout = seconds(2);
  limits.low_speed_limit = 1024;
  limits.low_speed_time = seconds(1);
  limits.request_timeout = seconds(3);
  return limits;
}

// A RegistryClient over libcurl to the local server (plain http), anonymous.
struct Client {
  explicit Client(const LocalHttpServer& server, RetryPolicy retry = RetryPolicy::None())
      : http(MakeCurlHttpClient(SmallLimits())),
        auth(*http, [](const std::string&) -> Result<std::optional<Credentials>> {
          return std::optional<Credentials>();
        }) {
    hosts.AllowPlainHttp(server.host());
    client.emplace(*http, auth, hosts, server.host(), RegistryClientOptions{.retry = retry});
  }
  std::unique_ptr<HttpClient> http;
  Authenticator auth;
  RegistryHosts hosts;
  std::optional<RegistryClient> client;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string Head(int status, const std::string& headers) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nConnection: close\r\n" + headers + "\r\n";
}

TEST(HttpBoundsTest, TrickleIsCutOffByTheLowSpeedLimit) {
  // 2 bytes/s of a 100 kB blob (a download without an overall deadline): under the old floor
  // of 1 byte/s this ran for 14 hours.
  LocalHttpServer server([&](int fd, const std::string&) {
    if (!LocalHttpServer::SendAll(fd, Head(200, "Content-Length: 100000\r\n"))) return;
    while (LocalHttpServer::SendAll(fd, "ab") && !server.WaitStop(milliseconds(1000))) {
    }
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  StringSink sink;
  auto start = std::chrono::steady_clock::now();
  auto fetched = c.client->FetchBlob(
      "team/app", oci::Descriptor{.digest = oci::Digest::Of("blob"), .size = 100000}, sink);
  ASSERT_FALSE(fetched.ok());
  EXPECT_EQ(fetched.error().kind(), ErrorKind::kRetryable) << fetched.error().ToString();
  EXPECT_LT(SecondsSince(start), 20.0);
}

TEST(HttpBoundsTest, AnAnswerKeptInMemoryHasAnOverallDeadline) {
  // 16 kB/s is above the low-speed limit, but a 3 MB manifest would take three minutes.
  LocalHttpServer server([&](int fd, const std::string&) {
    if (!LocalHttpServer::SendAll(fd, Head(200, "Content-Length: 3000000\r\n"))) return;
    std::string piece(4096, ' ');
    while (LocalHttpServer::SendAll(fd, piece) && !server.WaitStop(milliseconds(250))) {
    }
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto start = std::chrono::steady_clock::now();
  auto manifest = c.client->GetManifest("team/app", "latest");
  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().kind(), ErrorKind::kRetryable) << manifest.error().ToString();
  EXPECT_LT(SecondsSince(start), 20.0);
}

TEST(HttpBoundsTest, SilentServerIsRetriedWithinTheBudgetOnly) {
  LocalHttpServer server([&](int, const std::string&) { server.WaitStop(seconds(120)); });
  ASSERT_TRUE(server.ok());
  RetryPolicy retry;
  retry.max_attempts = 8;
  retry.initial_delay = milliseconds(100);
  retry.max_delay = milliseconds(200);
  retry.budget = seconds(3);
  Client c(server, retry);
  auto start = std::chrono::steady_clock::now();
  auto tags = c.client->ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kRetryable);
  EXPECT_NE(tags.error().message().find("retry budget of 3 s"), std::string::npos)
      << tags.error().message();
  EXPECT_LT(server.requests(), 8);
  EXPECT_LT(SecondsSince(start), 30.0);
}

TEST(HttpBoundsTest, EndlessRedirectsStopAtTheCapForHeadAndGet) {
  LocalHttpServer server([&](int fd, const std::string& line) {
    std::string path = line.substr(line.find(' ') + 1);
    path = path.substr(0, path.find(' '));
    LocalHttpServer::SendAll(fd, Head(302, "Location: " + path + "x\r\nContent-Length: 0\r\n"));
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto stat = c.client->StatBlob("team/app", oci::Digest::Of("layer"));  // HEAD
  ASSERT_FALSE(stat.ok());
  EXPECT_NE(stat.error().message().find("redirected more than 5 times"), std::string::npos)
      << stat.error().message();
  EXPECT_EQ(server.requests(), 1 + kMaxRedirects);
  auto manifest = c.client->GetManifest("team/app", "latest");  // GET
  ASSERT_FALSE(manifest.ok());
  EXPECT_NE(manifest.error().message().find("redirected more than 5 times"), std::string::npos)
      << manifest.error().message();
  EXPECT_EQ(server.requests(), 2 * (1 + kMaxRedirects));
}

// A valid OCI manifest of `size` bytes (padded with an annotation).
std::string ManifestOfSize(size_t size) {
  std::string head =
      R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
      R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
      oci::Digest::Of("{}").str() + R"(","size":2},"layers":[],"annotations":{"pad":")";
  std::string tail = R"("}})";
  return head + std::string(size - head.size() - tail.size(), 'p') + tail;
}

TEST(HttpBoundsTest, TwoMebibyteManifestArrivesWhole) {
  // Bodies kept in memory were cut at 1 MiB: this failed as a digest mismatch.
  const std::string manifest = ManifestOfSize(2 << 20);
  const oci::Digest digest = oci::Digest::Of(manifest);
  LocalHttpServer server([&](int fd, const std::string&) {
    LocalHttpServer::SendAll(
        fd, Head(200, "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n"
                      "Content-Length: " + std::to_string(manifest.size()) + "\r\n") +
                manifest);
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto got = c.client->GetManifest("team/app", digest.str());
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  EXPECT_EQ(got->descriptor.digest, digest);
  EXPECT_EQ(got->bytes.size(), size_t{2} << 20);
}

TEST(HttpBoundsTest, ManifestOverTheCapIsRefusedFromItsContentLength) {
  // The server declares 5 GiB and then sends nothing: only the header can have refused it.
  LocalHttpServer server([&](int fd, const std::string&) {
    if (LocalHttpServer::SendAll(fd, Head(200, "Content-Length: 5368709120\r\n")))
      server.WaitStop(seconds(120));
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto got = c.client->GetManifest("team/app", "latest");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind(), ErrorKind::kIntegrity) << got.error().ToString();
  std::string text = got.error().ToString();
  EXPECT_NE(text.find("Content-Length 5368709120"), std::string::npos) << text;
  EXPECT_NE(text.find("4 MiB"), std::string::npos) << text;
  EXPECT_NE(text.find(server.host() + "/v2/team/app/manifests/latest"), std::string::npos)
      << text;
}

TEST(HttpBoundsTest, ManifestOverTheCapIsRefusedWhileStreaming) {
  // No Content-Length (chunked): 6 MiB, refused once past 4 MiB.
  LocalHttpServer server([&](int fd, const std::string&) {
    if (!LocalHttpServer::SendAll(fd, Head(200, "Transfer-Encoding: chunked\r\n"))) return;
    std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    for (int i = 0; i < 96; ++i)
      if (!LocalHttpServer::SendAll(fd, chunk)) return;
    LocalHttpServer::SendAll(fd, "0\r\n\r\n");
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto got = c.client->GetManifest("team/app", "latest");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().kind(), ErrorKind::kIntegrity) << got.error().ToString();
  std::string text = got.error().ToString();
  EXPECT_NE(text.find("larger than the 4 MiB"), std::string::npos) << text;
  EXPECT_NE(text.find("/v2/team/app/manifests/latest"), std::string::npos) << text;
}

TEST(HttpBoundsTest, EndlessErrorBodyIsNotReadToItsEnd) {
  LocalHttpServer server([&](int fd, const std::string&) {
    std::string error = R"({"errors":[{"code":"NAME_UNKNOWN"}]})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", error.size());
    if (!LocalHttpServer::SendAll(fd, Head(404, "Transfer-Encoding: chunked\r\n") + size +
                                          error + "\r\n"))
      return;
    std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
    while (LocalHttpServer::SendAll(fd, chunk) && !server.stopping()) {
    }
  });
  ASSERT_TRUE(server.ok());
  Client c(server);
  auto tags = c.client->ListTags("team/app");
  ASSERT_FALSE(tags.ok());
  EXPECT_EQ(tags.error().kind(), ErrorKind::kNotFound) << tags.error().ToString();
}

TEST(HttpLimitsTest, ReadFromTheEnvironmentAndMalformedOnesAreNamed) {
  setenv("PLINTH_REGISTRY_LOW_SPEED_TIME", "7", 1);
  setenv("PLINTH_REGISTRY_RETRY_BUDGET", "9", 1);
  auto limits = HttpLimits::FromEnvironment();
  setenv("PLINTH_REGISTRY_CONNECT_TIMEOUT", "soon", 1);
  auto bad = HttpLimits::FromEnvironment();
  auto client = MakeCurlHttpClient();
  auto sent = client->Send(HttpRequest{.url = "http://127.0.0.1:9/"});
  unsetenv("PLINTH_REGISTRY_LOW_SPEED_TIME");
  unsetenv("PLINTH_REGISTRY_RETRY_BUDGET");
  unsetenv("PLINTH_REGISTRY_CONNECT_TIMEOUT");
  ASSERT_TRUE(limits.ok()) << limits.error().ToString();
  EXPECT_EQ(limits->low_speed_time, seconds(7));
  EXPECT_EQ(limits->retry_budget, seconds(9));
  EXPECT_EQ(limits->connect_timeout, seconds(30));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(bad.error().message().find("PLINTH_REGISTRY_CONNECT_TIMEOUT"), std::string::npos);
  ASSERT_FALSE(sent.ok());
  EXPECT_NE(sent.error().message().find("PLINTH_REGISTRY_CONNECT_TIMEOUT"), std::string::npos);
}

}  // namespace
}  // namespace plinth::registry
