// RegistryServer: a real Debian `docker-registry` (distribution) on 127.0.0.1, started for one
// test in its own folder on a fresh port: plain http, htpasswd basic auth, or TLS with a CA made
// for the test by `openssl`. The constructor returns once the port answers; the destructor
// kills the process and waits for it, so no registry outlives its test.
#pragma once

#include <sys/types.h>

#include <string>

namespace plinth::testing {

enum class RegistryTls { kPlainHttp, kTls };

struct RegistryServerOptions {
  RegistryTls tls = RegistryTls::kPlainHttp;
  std::string user;      // non-empty: htpasswd basic auth with this user
  std::string password;
};

class RegistryServer {
 public:
  explicit RegistryServer(RegistryServerOptions options = {});
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  // False if the server could not be started; error() says why.
  bool ok() const { return pid_ > 0; }
  const std::string& error() const { return error_; }

  int port() const { return port_; }
  // "127.0.0.1:PORT": the registry part of an image reference.
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // "http://127.0.0.1:PORT" or "https://…".
  std::string base_url() const;
  // The CA certificate (PEM) that signed the server's certificate; empty without TLS.
  const std::string& ca_file() const { return ca_file_; }
  const std::string& dir() const { return dir_; }
  const std::string& log_file() const { return log_file_; }
  // The registry's storage root, e.g. to count blobs on disk.
  std::string storage_dir() const { return dir_ + "/storage"; }

 private:
  bool Start(const RegistryServerOptions& options);
  std::string dir_;
  std::string ca_file_;
  std::string log_file_;
  std::string error_;
  RegistryTls tls_ = RegistryTls::kPlainHttp;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A port on 127.0.0.1 that was free a moment ago.
int FreePort();
// True once something accepts TCP connections on 127.0.0.1:port (polls up to `timeout_ms`).
bool WaitForPort(int port, int timeout_ms);

}  // namespace plinth::testing
