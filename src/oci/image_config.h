// ImageConfig: the image configuration blob (OCI image-spec config.md, which Docker's
// container.image.v1 config matches field for field). Fields plinth does not model are kept in
// `extra` so a base image's config survives a round trip unchanged.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oci/digest.h"
#include "oci/platform.h"

namespace plinth::oci {

struct HealthConfig {
  std::vector<std::string> test;  // ["NONE"] | ["CMD", ...] | ["CMD-SHELL", "..."]
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  int retries = 0;
};

// The runtime part ("config" in the JSON).
struct RuntimeConfig {
  std::string user;
  std::vector<std::string> env;  // "K=V"
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::vector<std::string> exposed_ports;  // "8080/tcp"
  std::vector<std::string> volumes;
  std::string stop_signal;
  std::optional<HealthConfig> healthcheck;
  std::vector<std::string> on_build;
  std::vector<std::string> shell;
  nlohmann::json extra = nlohmann::json::object();

  // Sets K=V, replacing an earlier K.
  void SetEnv(const std::string& key, const std::string& value);
  std::optional<std::string> GetEnv(const std::string& key) const;
};

struct HistoryEntry {
  std::string created;  // RFC 3339
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;
};

struct ImageConfig {
  std::string created;  // RFC 3339; "1970-01-01T00:00:00Z" for reproducible builds
  std::string author;
  Platform platform;    // architecture, os, variant
  RuntimeConfig config;
  std::vector<Digest> diff_ids;
  std::vector<HistoryEntry> history;
  nlohmann::json extra = nlohmann::json::object();

  std::string ToJsonString() const;
  static Result<ImageConfig> Parse(std::string_view bytes);

 private:
  static Result<ImageConfig> ParseUnguarded(std::string_view bytes);
};

// RFC 3339 in UTC for a Unix timestamp.
std::string FormatTimestamp(int64_t unix_seconds);

}  // namespace plinth::oci
