#include "oci/image_config.h"

#include "oci/json_guard.h"

#include <ctime>

namespace plinth::oci {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& j) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> out;
  if (j.is_object())
    for (auto& [k, v] : j.items()) out.push_back(k);
  return out;
}

json SetOf(const std::vector<std::string>& keys) {
  json j = json::object();
  for (const auto& k : keys) j[k] = json::object();
  return j;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json RuntimeToJson(const RuntimeConfig& c) {
  json j = c.extra;
  if (!c.user.empty()) j["User"] = c.user;
  if (!c.env.empty()) j["Env"] = c.env;
  if (c.entrypoint) j["Entrypoint"] = *c.entrypoint;
  if (c.cmd) j["Cmd"] = *c.cmd;
  if (!c.working_dir.empty()) j["WorkingDir"] = c.working_dir;
  if (!c.labels.empty()) j["Labels"] = c.labels;
  if (!c.exposed_ports.empty()) j["ExposedPorts"] = SetOf(c.exposed_ports);
  if (!c.volumes.empty()) j["Volumes"] = SetOf(c.volumes);
  if (!c.stop_signal.empty()) j["StopSignal"] = c.stop_signal;
  if (!c.on_build.empty()) j["OnBuild"] = c.on_build;
  if (!c.shell.empty()) j["Shell"] = c.shell;
  if (c.healthcheck) {
    json h{{"Test", c.healthcheck->test}};
    if (c.healthcheck->interval_ns) h["Interval"] = c.healthcheck->interval_ns;
    if (c.healthcheck->timeout_ns) h["Timeout"] = c.healthcheck->timeout_ns;
    if (c.healthcheck->start_period_ns) h["StartPeriod"] = c.healthcheck->start_period_ns;
    if (c.healthcheck->start_interval_ns) h["StartInterval"] = c.healthcheck->start_interval_ns;
    if (c.healthcheck->retries) h["Retries"] = c.healthcheck->retries;
    j["Healthcheck"] = h;
  }
  return j;
}

Result<RuntimeConfig> RuntimeFromJson(const json& j) {
  RuntimeConfig c;
  if (!j.is_object()) return c;
  static const char* kModelled[] = {"User", "Env", "Entrypoint", "Cmd", "WorkingDir", "Labels",
                                    "ExposedPorts", "Volumes", "StopSignal", "OnBuild", "Shell",
                                    "Healthcheck"};
  c.extra = j;
  for (const char* k : kModelled) c.extra.erase(k);
  c.user = Str(j, "User");
  c.env = Strings(j.value("Env", json()));
  if (j.contains("Entrypoint") && j["Entrypoint"].is_array()) c.entrypoint = Strings(j["Entrypoint"]);
  if (j.contains("Cmd") && j["Cmd"].is_array()) c.cmd = Strings(j["Cmd"]);
  c.working_dir = Str(j, "WorkingDir");
  if (auto it = j.find("Labels"); it != j.end() && it->is_object())
    for (auto& [k, v] : it->items())
      if (v.is_string()) c.labels[k] = v.get<std::string>();
  c.exposed_ports = Keys(j.value("ExposedPorts", json()));
  c.volumes = Keys(j.value("Volumes", json()));
  c.stop_signal = Str(j, "StopSignal");
  c.on_build = Strings(j.value("OnBuild", json()));
  c.shell = Strings(j.value("Shell", json()));
  if (auto it = j.find("Healthcheck"); it != j.end() && it->is_object()) {
    HealthConfig h;
    h.test = Strings(it->value("Test", json()));
    PLINTH_TRY(h.interval_ns, IntegerField(*it, "Interval", 0));
    PLINTH_TRY(h.timeout_ns, IntegerField(*it, "Timeout", 0));
    PLINTH_TRY(h.start_period_ns, IntegerField(*it, "StartPeriod", 0));
    PLINTH_TRY(h.start_interval_ns, IntegerField(*it, "StartInterval", 0));
    PLINTH_TRY(int64_t retries, IntegerField(*it, "Retries", 0));
    if (retries < 0 || retries > INT32_MAX) return InvalidInput("'Retries' is out of range");
    h.retries = static_cast<int>(retries);
    c.healthcheck = h;
  }
  return c;
}

}  // namespace

void RuntimeConfig::SetEnv(const std::string& key, const std::string& value) {
  std::string prefix = key + "=";
  for (auto& e : env) {
    if (e.compare(0, prefix.size(), prefix) == 0) {
      e = prefix + value;
      return;
    }
  }
  env.push_back(prefix + value);
}

std::optional<std::string> RuntimeConfig::GetEnv(const std::string& key) const {
  std::string prefix = key + "=";
  for (const auto& e : env)
    if (e.compare(0, prefix.size(), prefix) == 0) return e.substr(prefix.size());
  return std::nullopt;
}

std::string ImageConfig::ToJsonString() const {
  json j = extra;
  if (!created.empty()) j["created"] = created;
  if (!author.empty()) j["author"] = author;
  j["architecture"] = platform.architecture;
  j["os"] = platform.os;
  if (!platform.variant.empty()) j["variant"] = platform.variant;
  j["config"] = RuntimeToJson(config);
  json ids = json::array();
  for (const auto& d : diff_ids) ids.push_back(d.str());
  j["rootfs"] = {{"type", "layers"}, {"diff_ids", ids}};
  if (!history.empty()) {
    json h = json::array();
    for (const auto& e : history) {
      json x = json::object();
      if (!e.created.empty()) x["created"] = e.created;
      if (!e.created_by.empty()) x["created_by"] = e.created_by;
      if (!e.author.empty()) x["author"] = e.author;
      if (!e.comment.empty()) x["comment"] = e.comment;
      if (e.empty_layer) x["empty_layer"] = true;
      h.push_back(x);
    }
    j["history"] = h;
  }
  return j.dump();
}

Result<ImageConfig> ImageConfig::Parse(std::string_view bytes) {
  return ReadJsonDocument<ImageConfig>("reading image config", [&] { return ParseUnguarded(bytes); });
}

Result<ImageConfig> ImageConfig::ParseUnguarded(std::string_view bytes) {
  json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return InvalidInput("image config is not a JSON object");
  ImageConfig c;
  c.created = Str(j, "created");
  c.author = Str(j, "author");
  c.platform.architecture = Str(j, "architecture");
  c.platform.os = Str(j, "os");
  c.platform.variant = Str(j, "variant");
  PLINTH_TRY(c.config, RuntimeFromJson(j.value("config", json())));
  if (auto it = j.find("rootfs"); it != j.end() && it->is_object()) {
    for (const auto& s : Strings(it->value("diff_ids", json()))) {
      PLINTH_TRY(Digest d, Digest::Parse(s));
      c.diff_ids.push_back(d);
    }
  }
  if (auto it = j.find("history"); it != j.end() && it->is_array()) {
    for (const auto& x : *it) {
      HistoryEntry e;
      e.created = Str(x, "created");
      e.created_by = Str(x, "created_by");
      e.author = Str(x, "author");
      e.comment = Str(x, "comment");
      e.empty_layer = x.value("empty_layer", false);
      c.history.push_back(e);
    }
  }
  c.extra = j;
  for (const char* k : {"created", "author", "architecture", "os", "variant", "config", "rootfs",
                        "history"})
    c.extra.erase(k);
  return c;
}

std::string FormatTimestamp(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace plinth::oci
