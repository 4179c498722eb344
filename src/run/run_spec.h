// RunSpec: everything about one RUN step that the OCI runtime sees, decided before anything
// runs, and RuntimeConfig, the runtime's config.json for it (runtime-spec 1.0): what a RUN gets
// under `docker build` / BuildKit, and no more:
//   process   argv, env (KEY=VALUE), cwd, uid/gid and supplementary gids, no terminal,
//             docker's default capabilities, no_new_privileges false, rlimit nofile 1024:1024
//   hostname  "buildkitsandbox", as BuildKit gives every RUN
//   mounts    /proc, /dev (tmpfs, with docker's device nodes through runc), /dev/pts, /dev/shm,
//             /dev/mqueue, /sys (read-only), /etc/resolv.conf and /etc/hosts (read-only binds
//             of files the runner writes), then the step's own mounts in order: binds
//             "rbind" and "ro" or "rw", tmpfs "nosuid,nodev" with the size asked for
//   namespaces pid, ipc, uts, mount, cgroup; network too unless the network is host
//   linux     masked and read-only paths as docker sets them
// Pure: RuntimeConfig reads no files and runs nothing, so it is tested in memory.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace plinth::run {

enum class RunNetwork { kHost, kNone };  // RUN --network=default is the host's, as docker build

// One mount the step asked for, resolved to a place on the host.
struct RunMount {
  enum class Kind { kBind, kTmpfs } kind = Kind::kBind;
  std::string source;  // kBind: host path (file or folder)
  std::string target;  // absolute path in the container
  bool readonly = true;
  std::optional<uint64_t> tmpfs_size;  // kTmpfs: bytes
};

struct RunSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // KEY=VALUE, in the order the process gets them
  std::string cwd = "/";
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;
  RunNetwork network = RunNetwork::kHost;
  std::vector<RunMount> mounts;
  std::string rootfs;       // the mounted overlay: the bundle's root.path
  std::string resolv_conf;  // host file bound read-only at /etc/resolv.conf
  std::string hosts;        // host file bound read-only at /etc/hosts
};

nlohmann::json RuntimeConfig(const RunSpec& spec);

}  // namespace plinth::run
