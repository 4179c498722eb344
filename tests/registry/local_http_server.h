// LocalHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 for tests of the real (libcurl) client
// against servers that misbehave: each connection is read up to the end of its request head,
// then handed to the test's handler, which writes whatever raw bytes it likes (or nothing) and
// returns; the connection is then closed. A handler that must stall waits on WaitStop, which
// returns as soon as the server is being destroyed.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace plinth::registry::testing {

class LocalHttpServer {
 public:
  // `request_line` is "METHOD /path HTTP/1.1".
  using Handler = std::function<void(int fd, const std::string& request_line)>;

  explicit LocalHttpServer(Handler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 64) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      if (listen_fd_ >= 0) ::close(listen_fd_);
      listen_fd_ = -1;
      return;
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~LocalHttpServer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    stop_.notify_all();
    if (accept_thread_.joinable()) accept_thread_.join();
    for (auto& t : workers_) t.join();
    if (listen_fd_ >= 0) ::close(listen_fd_);
  }

  bool ok() const { return listen_fd_ >= 0; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // Requests whose head was read so far.
  int requests() const { return requests_.load(); }

  // Waits `limit` or until the server is being destroyed; true in the latter case.
  bool WaitStop(std::chrono::milliseconds limit) {
    std::unique_lock lock(mu_);
    return stop_.wait_for(lock, limit, [this] { return stopping_; });
  }
  bool stopping() {
    std::lock_guard lock(mu_);
    return stopping_;
  }

  // Writes all of `data`; false once the client has gone.
  static bool SendAll(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  void AcceptLoop() {
    while (!stopping()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      workers_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  void Serve(int fd) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536 && !stopping()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, static_cast<size_t>(n));
    }
    if (head.find("\r\n\r\n") != std::string::npos) {
      ++requests_;
      handler_(fd, head.substr(0, head.find("\r\n")));
    }
    ::close(fd);
  }

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::atomic<int> requests_{0};
  std::thread accept_thread_;
  std::vector<std::thread> workers_;
};

}  // namespace plinth::registry::testing
