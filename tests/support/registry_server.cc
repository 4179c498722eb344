#include "support/registry_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::testing {
namespace {

constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";

std::string MakeTempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string templ = std::string(base && *base ? base : "/tmp") + "/plinth-registry.XXXXXX";
  if (!mkdtemp(templ.data())) return "";
  return templ;
}

bool Run(const std::vector<std::string>& argv, std::string* error, std::string* out = nullptr) {
  auto r = RunProcess(argv);
  if (!r) {
    *error = r.error().ToString();
    return false;
  }
  if (!r->ok()) {
    *error = argv[0] + " failed: " + r->err;
    return false;
  }
  if (out) *out = r->out;
  return true;
}

// A CA and a server certificate for 127.0.0.1 signed by it, all valid for a day.
bool MakeCertificates(const std::string& dir, std::string* error) {
  std::string ext = dir + "/server.ext";
  if (!WriteFileAtomic(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                            "basicConstraints=CA:FALSE\n"
                            "extendedKeyUsage=serverAuth\n"))
    return false;
  const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt",
                                       "ec_paramgen_curve:prime256v1", "-nodes"};
  std::vector<std::string> ca = {"openssl", "req", "-x509"};
  ca.insert(ca.end(), ec.begin(), ec.end());
  ca.insert(ca.end(), {"-keyout", dir + "/ca.key", "-out", dir + "/ca.pem", "-days", "1",
                       "-subj", "/CN=plinth test CA"});
  std::vector<std::string> csr = {"openssl", "req"};
  csr.insert(csr.end(), ec.begin(), ec.end());
  csr.insert(csr.end(), {"-keyout", dir + "/server.key", "-out", dir + "/server.csr", "-subj",
                         "/CN=127.0.0.1"});
  return Run(ca, error) && Run(csr, error) &&
         Run({"openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem",
              "-CAkey", dir + "/ca.key", "-CAcreateserial", "-out", dir + "/server.pem", "-days",
              "1", "-extfile", ext},
             error);
}

}  // namespace

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool WaitForPort(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool up = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (up) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

RegistryServer::RegistryServer(RegistryServerOptions options) : tls_(options.tls) {
  if (!Start(options)) {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
  }
}

bool RegistryServer::Start(const RegistryServerOptions& options) {
  dir_ = MakeTempDir();
  if (dir_.empty()) {
    error_ = "cannot create a folder for the registry";
    return false;
  }
  std::string config =
      "version: 0.1\n"
      "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
      "storage:\n  filesystem:\n    rootdirectory: " + storage_dir() + "\n"
      "  delete:\n    enabled: true\n";
  if (!options.user.empty()) {
    std::string line;
    if (!Run({"htpasswd", "-Bbn", options.user, options.password}, &error_, &line)) return false;
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (!WriteFileAtomic(dir_ + "/htpasswd", line + "\n")) {
      error_ = "cannot write htpasswd";
      return false;
    }
    config += "auth:\n  htpasswd:\n    realm: plinth-test\n    path: " + dir_ + "/htpasswd\n";
  }
  if (options.tls == RegistryTls::kTls) {
    if (!MakeCertificates(dir_, &error_)) return false;
    ca_file_ = dir_ + "/ca.pem";
  }
  // A port picked by the kernel can be taken by someone else before the registry binds it:
  // try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    std::string full = config + "http:\n  addr: 127.0.0.1:" + std::to_string(port_) +
                       "\n  secret: plinth-test-secret\n";
    if (options.tls == RegistryTls::kTls)
      full += "  tls:\n    certificate: " + dir_ + "/server.pem\n    key: " + dir_ +
              "/server.key\n";
    std::string config_file = dir_ + "/config.yml";
    if (!WriteFileAtomic(config_file, full)) {
      error_ = "cannot write the registry config";
      return false;
    }
    log_file_ = dir_ + "/registry.log";
    pid_ = fork();
    if (pid_ < 0) {
      error_ = "fork failed";
      return false;
    }
    if (pid_ == 0) {
      // The registry dies with the test process, whatever happens to the test.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      int log = open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int devnull = open("/dev/null", O_RDONLY);
      dup2(devnull, 0);
      dup2(log, 1);
      dup2(log, 2);
      execl(kRegistryBinary, kRegistryBinary, "serve", config_file.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      if (WaitForPort(port_, 50)) return true;
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  auto log = ReadFile(log_file_);
  error_ = "docker-registry did not start: " + (log ? *log : std::string("no log"));
  return false;
}

RegistryServer::~RegistryServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (!dir_.empty() && !std::getenv("PLINTH_KEEP_TEST_DIRS")) (void)RemoveAll(dir_);
}

std::string RegistryServer::base_url() const {
  return std::string(tls_ == RegistryTls::kTls ? "https" : "http") + "://" + host();
}

}  // namespace plinth::testing
