// FaultProxy: an HTTP/1.1 proxy on 127.0.0.1 that sits between a client and a real server and
// misbehaves on purpose. Per request, with probability `fault_rate`, it answers 500 or 503,
// resets the connection before or in the middle of the answer, or delays it; with
// `corruption = kFlipBlobByte` it flips one byte of every blob body (GET …/blobs/…) it relays.
// It understands just enough HTTP (Content-Length and chunked bodies, keep-alive) to count and
// fault individual requests, and records "METHOD /path" of every request for assertions.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace plinth::testing {

enum class Corruption { kNone, kFlipBlobByte };

struct FaultProxyOptions {
  int upstream_port = 0;     // the server on 127.0.0.1 to relay to
  double fault_rate = 0.0;   // 0..1, per request
  Corruption corruption = Corruption::kNone;
  uint32_t seed = 1;         // faults are pseudo-random but repeatable
};

class FaultProxy {
 public:
  explicit FaultProxy(FaultProxyOptions options);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  bool ok() const { return listen_fd_ >= 0; }
  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

  // "METHOD /path?query" of every request seen, in arrival order.
  std::vector<std::string> requests() const;
  // How many requests were answered with a fault (delays included).
  int faults() const { return faults_.load(); }
  void set_fault_rate(double rate) { fault_rate_.store(rate); }

 private:
  void AcceptLoop();
  void Serve(int client_fd);
  bool RollFault(int* kind);

  FaultProxyOptions options_;
  std::atomic<double> fault_rate_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> faults_{0};
  std::thread accept_thread_;
  mutable std::mutex mu_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::vector<std::string> requests_;
  uint64_t rng_state_;
};

}  // namespace plinth::testing
