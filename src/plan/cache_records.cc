#include "plan/cache_records.h"

#include <nlohmann/json.hpp>

#include "oci/media_types.h"
#include "oci/store_maintenance.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::plan {

std::string CacheRecords::KeyPath(const CacheKey& key) const {
  return store_.dir() + "/plinth/cache/keys/" + key.Digest().substr(7);
}

std::string CacheRecords::TargetPath(const std::string& name) const {
  std::string file = name;
  for (char& c : file)
    if (c == '/' || c == ':' || c == '@') c = '_';
  return store_.dir() + "/plinth/cache/targets/" + file + ".json";
}

std::optional<oci::Descriptor> CacheRecords::Image(const CacheKey& key) const {
  auto text = ReadFile(KeyPath(key));
  if (!text) return std::nullopt;
  auto d = oci::Digest::Parse(text->substr(0, text->find('\n')));
  if (!d || !store_.HasBlob(*d)) return std::nullopt;
  auto bytes = store_.ReadBlob(*d);
  if (!bytes) return std::nullopt;
  oci::Descriptor desc;
  desc.digest = *d;
  desc.size = static_cast<int64_t>(bytes->size());
  desc.media_type = oci::SniffMediaType(*bytes);
  // A cached image is only good if every blob it names is still there.
  auto blobs = oci::ReachableBlobs(store_, desc);
  if (!blobs) return std::nullopt;
  for (const auto& b : *blobs)
    if (!store_.HasBlob(b.digest)) return std::nullopt;
  return desc;
}

std::string CacheRecords::FormatTarget(const CacheKey& key, double seconds) {
  nlohmann::json j{{"version", kCacheFormatVersion},
                   {"key", key.Digest()},
                   {"inputs", key.inputs()},
                   {"seconds", seconds}};
  return j.dump() + "\n";
}

Result<TargetRecord> CacheRecords::ParseTarget(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("inputs") || !j["inputs"].is_object())
    return InvalidInput("cache record is not a JSON object with 'inputs'");
  TargetRecord record;
  for (auto& [k, v] : j["inputs"].items())
    if (v.is_string()) record.key.Add(k, v.get<std::string>());
  if (!j.value("version", nlohmann::json(0)).is_number_integer() ||
      j.value("version", 0) != kCacheFormatVersion)
    record.key.Add("format", "older plinth");
  if (j.contains("seconds") && j["seconds"].is_number() && j["seconds"].get<double>() >= 0)
    record.seconds = j["seconds"].get<double>();
  return record;
}

std::optional<TargetRecord> CacheRecords::Last(const std::string& name) const {
  auto text = ReadFile(TargetPath(name));
  if (!text) return std::nullopt;
  auto record = ParseTarget(*text);
  if (!record) return std::nullopt;
  return *record;
}

Status CacheRecords::Record(const std::string& name, const CacheKey& key,
                            const oci::Descriptor& image, double seconds) const {
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/cache/keys"));
  PLINTH_CHECK(MakeDirs(store_.dir() + "/plinth/cache/targets"));
  PLINTH_CHECK(WriteFileAtomic(KeyPath(key), image.digest.str() + "\n"));
  return WriteFileAtomic(TargetPath(name), FormatTarget(key, seconds));
}

void ApplyRecordedCosts(const CacheIndex& records, TargetGraph* graph) {
  for (TargetId id = 0; id < graph->size(); ++id) {
    auto record = records.Last(graph->node(id).name);
    graph->node(id).cost = record && record->seconds > 0 ? record->seconds : 1.0;
  }
}

}  // namespace plinth::plan
