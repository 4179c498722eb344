#include "support/fault_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <strings.h>

namespace plinth::testing {
namespace {

enum FaultKind { k500, k503, kResetBefore, kResetMidAnswer, kDelay, kFaultKinds };

// A socket with a read buffer, so that a request head and the start of its body can arrive in
// one read.
class Conn {
 public:
  explicit Conn(int fd) : fd_(fd) {}
  int fd() const { return fd_; }

  // Reads up to and including "\r\n\r\n". False at EOF or error.
  bool ReadHead(std::string* head) {
    for (;;) {
      auto end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        *head = buf_.substr(0, end + 4);
        buf_.erase(0, end + 4);
        return true;
      }
      if (buf_.size() > (1 << 20) || !Fill()) return false;
    }
  }
  bool ReadLine(std::string* line) {
    for (;;) {
      auto end = buf_.find("\r\n");
      if (end != std::string::npos) {
        *line = buf_.substr(0, end + 2);
        buf_.erase(0, end + 2);
        return true;
      }
      if (!Fill()) return false;
    }
  }
  // Up to `max` buffered or freshly read bytes; empty at EOF.
  std::string ReadSome(size_t max) {
    if (buf_.empty() && !Fill()) return "";
    std::string out = buf_.substr(0, std::min(max, buf_.size()));
    buf_.erase(0, out.size());
    return out;
  }
  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

 private:
  bool Fill() {
    char tmp[65536];
    for (;;) {
      ssize_t n = recv(fd_, tmp, sizeof tmp, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<size_t>(n));
      return true;
    }
  }
  int fd_;
  std::string buf_;
};

struct Head {
  std::string first_line;
  std::optional<uint64_t> content_length;
  bool chunked = false;
  bool close = false;
};

Head ParseHead(const std::string& head) {
  Head h;
  size_t pos = head.find("\r\n");
  h.first_line = head.substr(0, pos);
  while (pos != std::string::npos && pos + 2 < head.size()) {
    size_t next = head.find("\r\n", pos + 2);
    std::string line = head.substr(pos + 2, next - pos - 2);
    pos = next;
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (strcasecmp(name.c_str(), "content-length") == 0) h.content_length = std::stoull(value);
    if (strcasecmp(name.c_str(), "transfer-encoding") == 0 &&
        strcasestr(value.c_str(), "chunked"))
      h.chunked = true;
    if (strcasecmp(name.c_str(), "connection") == 0 && strcasestr(value.c_str(), "close"))
      h.close = true;
  }
  return h;
}

// Relays a body framed as `head` says from `from` to `to` (nullptr: discard). `limit` stops
// after that many body bytes (for a reset in the middle); `flip` flips the first body byte.
// Returns false when either side failed.
bool RelayBody(Conn& from, Conn* to, const Head& head, bool until_close, uint64_t limit,
               bool flip) {
  uint64_t sent = 0;
  auto forward = [&](std::string data) {
    if (flip && sent == 0 && !data.empty()) data[0] = static_cast<char>(data[0] ^ 0x01);
    sent += data.size();
    return to == nullptr || to->WriteAll(data);
  };
  if (head.chunked) {
    for (;;) {
      std::string size_line;
      if (!from.ReadLine(&size_line)) return false;
      if (to && !to->WriteAll(size_line)) return false;
      uint64_t size = std::stoull(size_line, nullptr, 16);
      if (size == 0) {  // trailers up to an empty line
        std::string line;
        do {
          if (!from.ReadLine(&line)) return false;
          if (to && !to->WriteAll(line)) return false;
        } while (line != "\r\n");
        return true;
      }
      uint64_t left = size + 2;  // data and its CRLF
      while (left > 0) {
        std::string part = from.ReadSome(left);
        if (part.empty()) return false;
        left -= part.size();
        if (!forward(std::move(part))) return false;
        if (sent >= limit) return false;
      }
    }
  }
  uint64_t left = head.content_length.value_or(until_close ? UINT64_MAX : 0);
  while (left > 0) {
    std::string part = from.ReadSome(std::min<uint64_t>(left, 1 << 20));
    if (part.empty()) return until_close && !head.content_length;
    left -= part.size();
    if (sent + part.size() > limit) {
      part.resize(static_cast<size_t>(limit - sent));
      forward(std::move(part));
      return false;
    }
    if (!forward(std::move(part))) return false;
  }
  return true;
}

void Reset(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  shutdown(fd, SHUT_RDWR);
}

int ConnectUpstream(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

FaultProxy::FaultProxy(FaultProxyOptions options)
    : options_(options), fault_rate_(options.fault_rate), rng_state_(options.seed * 2654435761u + 1) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd, 64) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return;
  }
  listen_fd_ = fd;
  port_ = ntohs(addr.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  if (accept_thread_.joinable()) accept_thread_.join();
  {
    std::lock_guard lock(mu_);
    for (int fd : open_fds_) shutdown(fd, SHUT_RDWR);
  }
  // Workers are only added by the accept thread, which has stopped.
  for (auto& t : workers_) t.join();
  if (listen_fd_ >= 0) close(listen_fd_);
}

std::vector<std::string> FaultProxy::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FaultProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mu_);
    open_fds_.push_back(client);
    workers_.emplace_back([this, client] { Serve(client); });
  }
}

bool FaultProxy::RollFault(int* kind) {
  std::lock_guard lock(mu_);
  // xorshift64*: repeatable for a seed, good enough for picking faults.
  auto next = [this] {
    rng_state_ ^= rng_state_ >> 12;
    rng_state_ ^= rng_state_ << 25;
    rng_state_ ^= rng_state_ >> 27;
    return rng_state_ * 2685821657736338717ull;
  };
  double roll = static_cast<double>(next() >> 11) / static_cast<double>(1ull << 53);
  *kind = static_cast<int>(next() % kFaultKinds);
  return roll < fault_rate_.load();
}

void FaultProxy::Serve(int client_fd) {
  Conn client(client_fd);
  std::optional<Conn> upstream;
  auto forget = [&](int fd) {
    std::lock_guard lock(mu_);
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
  };
  for (;;) {
    std::string head_text;
    if (stopping_ || !client.ReadHead(&head_text)) break;
    Head request = ParseHead(head_text);
    std::string method = request.first_line.substr(0, request.first_line.find(' '));
    {
      std::lock_guard lock(mu_);
      std::string target = request.first_line.substr(0, request.first_line.rfind(' '));
      requests_.push_back(target);
    }
    int kind = 0;
    bool fault = RollFault(&kind);
    if (fault) ++faults_;
    if (fault && (kind == k500 || kind == k503)) {
      RelayBody(client, nullptr, request, false, UINT64_MAX, false);
      client.WriteAll(kind == k500 ? "HTTP/1.1 500 Internal Server Error\r\n"
                                   : "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\n");
      client.WriteAll("Content-Length: 0\r\nConnection: close\r\n\r\n");
      break;
    }
    if (fault && kind == kResetBefore) {
      Reset(client_fd);
      break;
    }
    if (fault && kind == kDelay) std::this_thread::sleep_for(std::chrono::milliseconds(300));

    if (!upstream) {
      int fd = ConnectUpstream(options_.upstream_port);
      if (fd < 0) break;
      {
        std::lock_guard lock(mu_);
        open_fds_.push_back(fd);
      }
      upstream.emplace(fd);
    }
    if (!upstream->WriteAll(head_text) ||
        !RelayBody(client, &*upstream, request, false, UINT64_MAX, false))
      break;

    std::string answer_text;
    Head answer;
    do {  // skip interim 1xx answers, relaying them
      if (!upstream->ReadHead(&answer_text) || !client.WriteAll(answer_text)) goto done;
      answer = ParseHead(answer_text);
    } while (answer.first_line.size() > 9 && answer.first_line[9] == '1');
    {
      int status = std::atoi(answer.first_line.c_str() + 9);
      bool has_body = method != "HEAD" && status != 204 && status != 304;
      bool flip = options_.corruption == Corruption::kFlipBlobByte && method == "GET" &&
                  status == 200 && head_text.find("/blobs/") != std::string::npos;
      uint64_t limit = UINT64_MAX;
      if (fault && kind == kResetMidAnswer)
        limit = answer.content_length ? *answer.content_length / 2 : 0;
      if (has_body && !RelayBody(*upstream, &client, answer, true, limit, flip)) {
        if (limit != UINT64_MAX) Reset(client_fd);
        break;
      }
      if (fault && kind == kResetMidAnswer) {
        Reset(client_fd);
        break;
      }
      if (request.close || answer.close || (has_body && !answer.content_length && !answer.chunked))
        break;
    }
  }
done:
  if (upstream) {
    forget(upstream->fd());
    close(upstream->fd());
  }
  forget(client_fd);
  close(client_fd);
}

}  // namespace plinth::testing
