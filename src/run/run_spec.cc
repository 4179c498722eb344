#include "run/run_spec.h"

namespace plinth::run {
namespace {

using nlohmann::json;

// docker's (and BuildKit's) default capability set: what a RUN may do as root, and no more.
const char* const kDefaultCapabilities[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};

// Kernel files a container must not read (masked) or change (read-only), as docker sets them.
const char* const kMaskedPaths[] = {
    "/proc/asound",
    "/proc/acpi",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
};
const char* const kReadonlyPaths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

json Mount(const std::string& destination, const std::string& type, const std::string& source,
           std::vector<std::string> options) {
  return json{{"destination", destination},
              {"type", type},
              {"source", source},
              {"options", std::move(options)}};
}

json ReadonlyBind(const std::string& destination, const std::string& source) {
  return Mount(destination, "bind", source, {"rbind", "ro", "nosuid", "nodev"});
}

}  // namespace

nlohmann::json RuntimeConfig(const RunSpec& spec) {
  json capabilities = json::array();
  for (const char* cap : kDefaultCapabilities) capabilities.push_back(cap);

  json user{{"uid", spec.uid}, {"gid", spec.gid}};
  if (!spec.additional_gids.empty()) user["additionalGids"] = spec.additional_gids;

  json process{
      {"terminal", false},
      {"user", std::move(user)},
      {"args", spec.argv},
      {"env", spec.env},
      {"cwd", spec.cwd.empty() ? "/" : spec.cwd},
      {"capabilities",
       {{"bounding", capabilities}, {"effective", capabilities}, {"permitted", capabilities}}},
      {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
      {"noNewPrivileges", false},
  };

  json mounts = json::array({
      Mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      Mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      Mount("/dev/pts", "devpts", "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      Mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
      Mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      Mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      Mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
  });
  if (!spec.resolv_conf.empty())
    mounts.push_back(ReadonlyBind("/etc/resolv.conf", spec.resolv_conf));
  if (!spec.hosts.empty()) mounts.push_back(ReadonlyBind("/etc/hosts", spec.hosts));
  for (const RunMount& mount : spec.mounts) {
    if (mount.kind == RunMount::Kind::kTmpfs) {
      std::vector<std::string> options{"nosuid", "nodev"};
      if (mount.tmpfs_size) options.push_back("size=" + std::to_string(*mount.tmpfs_size));
      mounts.push_back(Mount(mount.target, "tmpfs", "tmpfs", std::move(options)));
    } else {
      mounts.push_back(
          Mount(mount.target, "bind", mount.source, {"rbind", mount.readonly ? "ro" : "rw"}));
    }
  }

  json namespaces = json::array();
  for (const char* type : {"pid", "ipc", "uts", "mount", "cgroup"}) {
    namespaces.push_back({{"type", type}});
  }
  if (spec.network != RunNetwork::kHost) namespaces.push_back({{"type", "network"}});

  json masked = json::array();
  for (const char* path : kMaskedPaths) masked.push_back(path);
  json readonly = json::array();
  for (const char* path : kReadonlyPaths) readonly.push_back(path);

  return json{
      {"ociVersion", "1.0.2"},
      {"process", std::move(process)},
      {"root", {{"path", spec.rootfs}, {"readonly", false}}},
      {"hostname", "buildkitsandbox"},
      {"mounts", std::move(mounts)},
      {"linux",
       {{"namespaces", std::move(namespaces)},
        {"maskedPaths", std::move(masked)},
        {"readonlyPaths", std::move(readonly)}}},
  };
}

}  // namespace plinth::run
