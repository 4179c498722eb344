#include "builder/image_rebaser.h"

#include <algorithm>
#include <optional>
#include <set>

#include "builder/rebase_safety.h"
#include "oci/reference.h"

namespace plinth::builder {
namespace {

using EnvMap = std::map<std::string, std::string>;

EnvMap EnvOf(const std::vector<std::string>& env) {
  EnvMap m;
  for (const auto& kv : env) {
    size_t eq = kv.find('=');
    m[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  return m;
}

std::optional<std::string> Lookup(const EnvMap& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// Env in a stable order: the new base's variables first (in its order), then the image's own.
std::vector<std::string> MergeEnv(const std::vector<std::string>& image,
                                  const std::vector<std::string>& old_base,
                                  const std::vector<std::string>& new_base) {
  EnvMap s = EnvOf(image), o = EnvOf(old_base), b = EnvOf(new_base);
  std::vector<std::string> out;
  std::set<std::string> done;
  auto emit = [&](const std::string& key) {
    if (!done.insert(key).second) return;
    auto mine = Lookup(s, key);
    auto value = mine == Lookup(o, key) ? Lookup(b, key) : mine;
    if (value) out.push_back(key + "=" + *value);
  };
  for (const auto& kv : new_base) emit(kv.substr(0, kv.find('=')));
  for (const auto& kv : image) emit(kv.substr(0, kv.find('=')));
  return out;
}

std::map<std::string, std::string> MergeLabels(const std::map<std::string, std::string>& s,
                                               const std::map<std::string, std::string>& o,
                                               const std::map<std::string, std::string>& b) {
  std::map<std::string, std::string> out;
  std::set<std::string> keys;
  for (const auto* m : {&s, &o, &b})
    for (const auto& [k, v] : *m) keys.insert(k);
  for (const auto& k : keys) {
    auto mine = Lookup(s, k);
    auto value = mine == Lookup(o, k) ? Lookup(b, k) : mine;
    if (value) out[k] = *value;
  }
  return out;
}

std::vector<std::string> MergeSet(const std::vector<std::string>& s,
                                  const std::vector<std::string>& o,
                                  const std::vector<std::string>& b) {
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  std::vector<std::string> out;
  for (const auto& x : s)
    if (!(has(o, x) && !has(b, x))) out.push_back(x);
  for (const auto& x : b)
    if (!has(o, x) && !has(out, x)) out.push_back(x);
  return out;
}

bool SameHealth(const std::optional<oci::HealthConfig>& a, const std::optional<oci::HealthConfig>& b) {
  if (!a || !b) return a.has_value() == b.has_value();
  return a->test == b->test && a->interval_ns == b->interval_ns && a->timeout_ns == b->timeout_ns &&
         a->start_period_ns == b->start_period_ns && a->start_interval_ns == b->start_interval_ns &&
         a->retries == b->retries;
}

template <typename T>
void Inherit(T& field, const T& old_value, const T& new_value) {
  if (field == old_value) field = new_value;
}

oci::RuntimeConfig MergeConfig(oci::RuntimeConfig s, const oci::RuntimeConfig& o,
                               const oci::RuntimeConfig& b) {
  Inherit(s.user, o.user, b.user);
  Inherit(s.working_dir, o.working_dir, b.working_dir);
  Inherit(s.entrypoint, o.entrypoint, b.entrypoint);
  Inherit(s.cmd, o.cmd, b.cmd);
  Inherit(s.shell, o.shell, b.shell);
  Inherit(s.stop_signal, o.stop_signal, b.stop_signal);
  if (SameHealth(s.healthcheck, o.healthcheck)) s.healthcheck = b.healthcheck;
  s.env = MergeEnv(s.env, o.env, b.env);
  s.labels = MergeLabels(s.labels, o.labels, b.labels);
  s.exposed_ports = MergeSet(s.exposed_ports, o.exposed_ports, b.exposed_ports);
  s.volumes = MergeSet(s.volumes, o.volumes, b.volumes);
  return s;
}

size_t NonEmpty(const std::vector<oci::HistoryEntry>& history, size_t count) {
  size_t n = 0;
  for (size_t i = 0; i < count && i < history.size(); ++i) n += history[i].empty_layer ? 0 : 1;
  return n;
}

std::string BaseName(const std::string& name) {
  auto ref = oci::Reference::Parse(name);
  return ref ? ref->Familiar() : name;
}

}  // namespace

Result<RecordedBase> RecordedBaseOf(const oci::Image& image, const std::string& what) {
  auto digest = image.annotations.find(oci::kBaseDigestAnnotation);
  if (digest == image.annotations.end())
    return InvalidInput(what + " records no base image (no " + oci::kBaseDigestAnnotation +
                        " annotation): it is FROM scratch, or was built by an older plinth; "
                        "rebuild it (plinth build --no-cache) to rebase it later");
  auto parsed = oci::Digest::Parse(digest->second);
  if (!parsed)
    return InvalidInput(what + ": " + oci::kBaseDigestAnnotation + " '" + digest->second +
                        "' is not a digest");
  auto name = image.annotations.find(oci::kBaseNameAnnotation);
  return RecordedBase{name == image.annotations.end() ? "" : name->second, *parsed};
}

Result<oci::Image> SpliceBase(const oci::Image& image, const oci::Image& old_base,
                              const ResolvedImage& new_base, const std::string& what) {
  if (auto unsafe = image.annotations.find(kRebaseUnsafeAnnotation); unsafe != image.annotations.end())
    return InvalidInput("cannot rebase " + what + ": " + unsafe->second +
                        "; rebuild it instead (plinth build)");
  const auto& p = image.config.platform;
  const auto& q = new_base.image.config.platform;
  if (p.os != q.os || p.architecture != q.architecture || p.variant != q.variant)
    return InvalidInput("cannot rebase " + what + " (" + p.str() + ") onto " + new_base.name +
                        ", which is for " + q.str());
  const auto& ids = image.config.diff_ids;
  const auto& base_ids = old_base.config.diff_ids;
  size_t n = base_ids.size();
  if (ids.size() < n || !std::equal(base_ids.begin(), base_ids.end(), ids.begin()))
    return Error(ErrorKind::kIntegrity,
                 "cannot rebase " + what + ": its bottom layers are not those of the base it "
                 "records (" + std::to_string(n) + " base layers expected)");
  // The old base's history entries come first in the image's; their non-empty entries must
  // account for exactly the base's layers (images without history are spliced by layers only).
  size_t h = old_base.config.history.size();
  bool history = !image.config.history.empty() && h > 0;
  if (history && (image.config.history.size() < h || NonEmpty(image.config.history, h) != n))
    return Error(ErrorKind::kIntegrity,
                 "cannot rebase " + what + ": its history does not start with the base's " +
                 std::to_string(h) + " entries");

  oci::Image out = image;
  out.layers = new_base.image.layers;
  out.layers.insert(out.layers.end(), image.layers.begin() + n, image.layers.end());
  out.config.diff_ids = new_base.image.config.diff_ids;
  out.config.diff_ids.insert(out.config.diff_ids.end(), ids.begin() + n, ids.end());
  if (history) {
    out.config.history = new_base.image.config.history;
    out.config.history.insert(out.config.history.end(), image.config.history.begin() + h,
                              image.config.history.end());
  } else if (!image.config.history.empty()) {
    out.config.history = new_base.image.config.history;
    out.config.history.insert(out.config.history.end(), image.config.history.begin(),
                              image.config.history.end());
  }
  out.config.config = MergeConfig(image.config.config, old_base.config.config,
                                  new_base.image.config.config);
  out.annotations[oci::kBaseNameAnnotation] = BaseName(new_base.name);
  out.annotations[oci::kBaseDigestAnnotation] = new_base.manifest.digest.str();
  return out;
}

Result<PreparedRebase> PrepareRebase(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                     const ResolvedImage& new_base, const std::string& what) {
  PreparedRebase prepared;
  PLINTH_TRY(prepared.image, oci::ReadImage(store, manifest));
  const oci::Image& image = prepared.image;
  if (auto unsafe = image.annotations.find(kRebaseUnsafeAnnotation); unsafe != image.annotations.end())
    return InvalidInput("cannot rebase " + what + ": " + unsafe->second +
                        "; rebuild it instead (plinth build)");
  RebaseResult& result = prepared.result;
  result.before = manifest;
  result.after = manifest;
  PLINTH_TRY(result.old_base, RecordedBaseOf(image, what));
  result.new_base = {BaseName(new_base.name), new_base.manifest.digest};
  if (result.old_base.digest == new_base.manifest.digest) {
    result.unchanged = true;
    return prepared;
  }
  if (!store.HasBlob(result.old_base.digest))
    return NotFound("cannot rebase " + what + ": the base it was built on (" +
                    result.old_base.name + "@" + result.old_base.digest.str() +
                    ") is no longer in the store (removed by store gc?), so its layers cannot be "
                    "told apart from the image's own; rebuild it instead (plinth build)");
  oci::Descriptor old_manifest;
  old_manifest.digest = result.old_base.digest;
  auto old_base = oci::ReadImage(store, old_manifest);
  if (!old_base)
    return old_base.error().Context("reading the base " + what + " was built on (" +
                                    result.old_base.name + "@" + result.old_base.digest.str() + ")");
  PLINTH_TRY(prepared.image, SpliceBase(image, *old_base, new_base, what));
  return prepared;
}

Result<RebaseResult> CommitRebase(const oci::LayoutStore& store, const PreparedRebase& prepared,
                                  const std::string& tag) {
  RebaseResult result = prepared.result;
  if (!result.unchanged) {
    PLINTH_TRY(result.after, oci::WriteImage(store, prepared.image));
  }
  if (!tag.empty()) PLINTH_CHECK(store.Tag(tag, result.after));
  return result;
}

Result<RebaseResult> RebaseStoredImage(const oci::LayoutStore& store, const oci::Descriptor& manifest,
                                       const ResolvedImage& new_base, const std::string& tag,
                                       const std::string& what) {
  PLINTH_TRY(PreparedRebase prepared, PrepareRebase(store, manifest, new_base, what));
  return CommitRebase(store, prepared, tag);
}

}  // namespace plinth::builder
