#include "builder/step_cache.h"

#include <nlohmann/json.hpp>

#include "util/atomic_file.h"
#include "util/fs.h"
#include "util/sha256.h"

namespace plinth::builder {
namespace {

constexpr uint64_t kMaxRecord = 64 << 10;

std::string Hex(const std::string& key) {
  size_t colon = key.find(':');
  return colon == std::string::npos ? key : key.substr(colon + 1);
}

nlohmann::json Optional(const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

}  // namespace

std::string StepCacheKey(const StepKeyInput& in) {
  nlohmann::json j;
  j["version"] = kStepCacheVersion;
  j["platform"] = in.platform.str();
  j["timestamp"] = in.timestamp;
  j["compression"] = std::string(layer::CompressionName(in.compression));
  j["parent"] = in.diff_ids;
  const oci::RuntimeConfig& c = *in.config;
  j["env"] = c.env;
  j["user"] = c.user;
  j["workdir"] = c.working_dir;
  j["shell"] = c.shell;
  const StepProcess& p = *in.process;
  j["argv"] = p.argv;
  nlohmann::json pipes = nlohmann::json::array();
  for (const auto& f : p.pipes) pipes.push_back({f.name, f.content});
  j["pipes"] = pipes;
  nlohmann::json args = nlohmann::json::array();
  for (const auto& a : in.args) args.push_back({a.name, Optional(a.value)});
  j["args"] = args;
  j["network"] = p.network_name;
  nlohmann::json mounts = nlohmann::json::array();
  for (size_t i = 0; i < p.mounts.size(); ++i) {
    const StepMount& m = p.mounts[i];
    mounts.push_back({
        {"type", dockerfile::MountTypeName(m.type)},
        {"target", m.target},
        {"source", m.source},
        {"from", m.from},
        {"id", m.id},
        {"sharing", m.sharing},
        {"uid", Optional(m.uid)},
        {"gid", Optional(m.gid)},
        {"mode", Optional(m.mode)},
        {"size", Optional(m.size)},
        {"env", m.env},
        {"writable", m.writable},
        {"required", m.required},
        {"content", i < in.mount_contents.size() ? in.mount_contents[i] : ""},
    });
  }
  j["mounts"] = mounts;
  return "sha256:" + Sha256::HexOf(j.dump());
}

StepCache::StepCache(const oci::LayoutStore& store)
    : store_(store), dir_(store.dir() + "/plinth/step-cache") {}

std::optional<StepRecord> StepCache::Lookup(const std::string& key) const {
  auto text = ReadFileAtMost(dir_ + "/" + Hex(key), kMaxRecord);
  if (!text) return std::nullopt;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("layer") || !j.contains("diff_id") ||
      !j["diff_id"].is_string())
    return std::nullopt;
  auto layer = oci::Descriptor::FromJson(j["layer"]);
  auto diff_id = oci::Digest::Parse(j["diff_id"].get<std::string>());
  if (!layer || !diff_id || !store_.HasBlob(layer->digest)) return std::nullopt;
  return StepRecord{*layer, *diff_id};
}

Status StepCache::Record(const std::string& key, const StepRecord& record) const {
  PLINTH_CHECK(MakeDirs(dir_, 0700));
  nlohmann::json j{{"layer", record.layer.ToJson()}, {"diff_id", record.diff_id.str()}};
  return WriteFileAtomic(dir_ + "/" + Hex(key), j.dump() + "\n", 0600);
}

}  // namespace plinth::builder
