#include "cli/image_load.h"

#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <iostream>

#include "fleet/problem_list.h"
#include "oci/engine_load.h"
#include "util/ascii.h"
#include "util/fs.h"
#include "util/subprocess.h"

namespace plinth::cli {
namespace {

// podman and docker answer the same two questions with the same words.
class CommandEngine : public oci::ContainerEngine {
 public:
  explicit CommandEngine(std::string program) : program_(std::move(program)) {}
  std::string name() const override { return program_; }

  Result<std::optional<std::string>> ImageId(const std::string& image) override {
    PLINTH_TRY(auto r, RunProcess({program_, "image", "inspect", "--format", "{{.Id}}", image}));
    if (r.ok()) {
      std::string id = r.out.substr(0, r.out.find_first_of("\r\n"));
      return std::optional<std::string>(id);
    }
    std::string lower = AsciiLower(r.err);
    // podman: "image not known"; docker: "No such image".
    if (lower.find("not known") != std::string::npos || lower.find("no such") != std::string::npos)
      return std::optional<std::string>();
    return Error(ErrorKind::kFailed, program_ + " image inspect " + image + " failed: " + r.err);
  }

  Status LoadArchive(const std::string& archive_path) override {
    PLINTH_TRY(auto r, RunProcess({program_, "load", "-i", archive_path}));
    if (!r.ok()) return Error(ErrorKind::kFailed, program_ + " load failed: " + r.err);
    return Ok{};
  }

 private:
  std::string program_;
};

// Whether a docker daemon answers: DOCKER_HOST's unix socket (or the default one) accepts a
// connection; a tcp:// DOCKER_HOST is taken as the user's choice of docker.
bool DockerReachable() {
  std::string host = getenv("DOCKER_HOST") ? getenv("DOCKER_HOST") : "";
  if (!host.empty() && !host.starts_with("unix://")) return true;
  std::string path = host.empty() ? "/var/run/docker.sock" : host.substr(7);
  sockaddr_un address{};
  if (path.size() >= sizeof(address.sun_path)) return false;
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

}  // namespace

Status LoadFleetImages(const fleet::Fleet& fleet, const oci::LayoutStore& store,
                       const LoadRequest& request, std::ostream& out) {
  PLINTH_TRY(auto engine_name, oci::ChooseEngine(request.engine,
                                                 request.engine.empty() && DockerReachable()));
  PLINTH_TRY(auto platform, request.platform.empty() ? Result<oci::Platform>(oci::Platform::Host())
                                                     : oci::Platform::Parse(request.platform));
  std::vector<std::string> names;
  for (const auto* t : fleet.Targets()) names.push_back(t->name);
  for (const auto& name : request.targets) {
    if (fleet.FindTarget(name)) continue;
    std::string near = fleet::DidYouMean(name, names);
    return InvalidInput("'" + name + "' is not a target of " + fleet.path +
                        (near.empty() ? "" : "; did you mean '" + near + "'?"));
  }
  std::vector<oci::EngineImage> images;
  for (const auto* t : fleet.Targets()) {
    bool named = std::find(request.targets.begin(), request.targets.end(), t->name) != request.targets.end();
    if (!request.targets.empty() && !named) continue;
    if (!fleet.BuiltFor(*t, platform)) {
      if (named) return InvalidInput("'" + t->name + "' is not built for " + platform.str());
      continue;
    }
    PLINTH_TRY(auto name, fleet.ImageFor(*t, platform.str()));
    auto image = oci::StoreEngineImage(store, name, platform);
    if (!image) {
      if (named || image.error().kind() != ErrorKind::kNotFound)
        return image.error().Context(t->name + ": " + name + " is not in the store; run `plinth build` first");
      out << "not built  " << name << "\n";
      continue;
    }
    images.push_back(*image);
  }
  PLINTH_TRY(auto scratch, TempDir::Create("plinth-load"));
  CommandEngine engine(engine_name);
  PLINTH_TRY(auto decisions, oci::LoadIntoEngine(store, engine, images, scratch.path()));
  for (const auto& d : decisions)
    out << (d.action == oci::LoadAction::kLoad ? "loaded     " : "present    ") << d.image.name
              << "  " << d.image.config.str().substr(0, 19) << " (" << engine_name << ")\n";
  return Ok{};
}

}  // namespace plinth::cli
