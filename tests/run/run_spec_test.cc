#include "run/run_spec.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace plinth::run {
namespace {

using nlohmann::json;

RunSpec BaseSpec() {
  RunSpec spec;
  spec.argv = {"/bin/sh", "-c", "make"};
  spec.env = {"PATH=/usr/bin:/bin", "HOME=/root"};
  spec.cwd = "/src";
  spec.rootfs = "/store/steps-run/1-1/rootfs";
  spec.resolv_conf = "/store/steps-run/1-1/resolv.conf";
  spec.hosts = "/store/steps-run/1-1/hosts";
  return spec;
}

std::vector<std::string> NamespaceTypes(const json& config) {
  std::vector<std::string> types;
  for (const json& ns : config["linux"]["namespaces"]) types.push_back(ns["type"]);
  return types;
}

std::vector<std::string> Destinations(const json& config) {
  std::vector<std::string> out;
  for (const json& mount : config["mounts"]) out.push_back(mount["destination"]);
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

TEST(RunSpecTest, HostNetworkSharesTheNetworkNamespace) {
  json config = RuntimeConfig(BaseSpec());
  auto types = NamespaceTypes(config);
  EXPECT_FALSE(Has(types, "network"));
  for (const char* type : {"pid", "ipc", "uts", "mount", "cgroup"}) EXPECT_TRUE(Has(types, type));
  EXPECT_FALSE(Has(types, "user"));
}

TEST(RunSpecTest, NetworkNoneGetsANamespaceOfItsOwn) {
  RunSpec spec = BaseSpec();
  spec.network = RunNetwork::kNone;
  auto types = NamespaceTypes(RuntimeConfig(spec));
  EXPECT_TRUE(Has(types, "network"));
  // A namespace without a path is a new one: no host namespace is joined.
  for (const json& ns : RuntimeConfig(spec)["linux"]["namespaces"])
    EXPECT_FALSE(ns.contains("path"));
}

TEST(RunSpecTest, ProcessHasTheUserEnvCwdAndArgs) {
  RunSpec spec = BaseSpec();
  spec.uid = 65532;
  spec.gid = 65533;
  spec.additional_gids = {27, 100};
  json process = RuntimeConfig(spec)["process"];
  EXPECT_EQ(process["user"]["uid"], 65532);
  EXPECT_EQ(process["user"]["gid"], 65533);
  EXPECT_EQ(process["user"]["additionalGids"], json({27, 100}));
  EXPECT_EQ(process["args"], json({"/bin/sh", "-c", "make"}));
  EXPECT_EQ(process["env"], json({"PATH=/usr/bin:/bin", "HOME=/root"}));
  EXPECT_EQ(process["cwd"], "/src");
  EXPECT_EQ(process["terminal"], false);
  EXPECT_EQ(process["rlimits"][0]["type"], "RLIMIT_NOFILE");
  EXPECT_EQ(process["rlimits"][0]["hard"], 1024);
  auto caps = process["capabilities"]["bounding"].get<std::vector<std::string>>();
  EXPECT_TRUE(Has(caps, "CAP_CHOWN"));
  EXPECT_TRUE(Has(caps, "CAP_SETUID"));
  EXPECT_FALSE(Has(caps, "CAP_SYS_ADMIN"));
  EXPECT_FALSE(Has(caps, "CAP_NET_ADMIN"));
  EXPECT_EQ(process["capabilities"]["effective"], process["capabilities"]["bounding"]);
}

TEST(RunSpecTest, RootUserHasNoAdditionalGidsKey) {
  json user = RuntimeConfig(BaseSpec())["process"]["user"];
  EXPECT_EQ(user["uid"], 0);
  EXPECT_FALSE(user.contains("additionalGids"));
}

TEST(RunSpecTest, MountsComeInOrderWithTheStepsOwnLast) {
  RunSpec spec = BaseSpec();
  spec.mounts.push_back({RunMount::Kind::kBind, "/ctx", "/src", true, std::nullopt});
  spec.mounts.push_back({RunMount::Kind::kBind, "/cache/go", "/root/.cache", false, std::nullopt});
  spec.mounts.push_back({RunMount::Kind::kTmpfs, "", "/tmp", false, 1 << 20});
  json config = RuntimeConfig(spec);
  auto dest = Destinations(config);
  std::vector<std::string> expected = {"/proc",       "/dev", "/dev/pts",       "/dev/shm",
                                       "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/etc/resolv.conf",
                                       "/etc/hosts",  "/src", "/root/.cache",   "/tmp"};
  EXPECT_EQ(dest, expected);
  const json& mounts = config["mounts"];
  auto options = [&](size_t i) { return mounts[i]["options"].get<std::vector<std::string>>(); };
  EXPECT_EQ(mounts[7]["source"], spec.resolv_conf);
  EXPECT_TRUE(Has(options(7), "ro"));
  EXPECT_TRUE(Has(options(8), "ro"));
  EXPECT_EQ(mounts[9]["type"], "bind");
  EXPECT_EQ(mounts[9]["source"], "/ctx");
  EXPECT_TRUE(Has(options(9), "ro"));
  EXPECT_FALSE(Has(options(10), "ro"));
  EXPECT_TRUE(Has(options(10), "rw"));
  EXPECT_EQ(mounts[11]["type"], "tmpfs");
  EXPECT_TRUE(Has(options(11), "size=1048576"));
  EXPECT_TRUE(Has(options(5), "ro"));  // /sys
}

TEST(RunSpecTest, RootHostnameAndKernelPaths) {
  json config = RuntimeConfig(BaseSpec());
  EXPECT_EQ(config["root"]["path"], "/store/steps-run/1-1/rootfs");
  EXPECT_EQ(config["root"]["readonly"], false);
  EXPECT_EQ(config["hostname"], "buildkitsandbox");
  auto masked = config["linux"]["maskedPaths"].get<std::vector<std::string>>();
  EXPECT_TRUE(Has(masked, "/proc/kcore"));
  auto readonly = config["linux"]["readonlyPaths"].get<std::vector<std::string>>();
  EXPECT_TRUE(Has(readonly, "/proc/sys"));
}

}  // namespace
}  // namespace plinth::run
