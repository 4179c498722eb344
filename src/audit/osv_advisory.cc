#include "audit/osv_advisory.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "audit/vuln_text.h"
#include "oci/json_guard.h"

namespace plinth::audit {
namespace {

using nlohmann::json;

// Reads fields of one document, each error naming the file and the field's path in it.
class FieldReader {
 public:
  explicit FieldReader(const std::string& file) : file_(file) {}

  Error Bad(const std::string& path, const std::string& what) const {
    return InvalidInput(path + ": " + what, Location{file_});
  }

  // The string `key` of `obj`; "" when absent or null.
  Result<std::string> String(const json& obj, const char* key, const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::string();
    if (!it->is_string()) return Bad(Join(path, key), "is not a string");
    return it->get<std::string>();
  }

  // The array `key` of `obj` (nullptr when absent or null).
  Result<const json*> Array(const json& obj, const char* key, const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_array()) return Bad(Join(path, key), "is not an array");
    return &*it;
  }

  Result<const json*> Object(const json& obj, const char* key, const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return static_cast<const json*>(nullptr);
    if (!it->is_object()) return Bad(Join(path, key), "is not an object");
    return &*it;
  }

  Result<std::vector<std::string>> Strings(const json& obj, const char* key,
                                           const std::string& path) const {
    std::vector<std::string> out;
    PLINTH_TRY(const json* array, Array(obj, key, path));
    if (!array) return out;
    for (size_t i = 0; i < array->size(); ++i) {
      const json& item = (*array)[i];
      if (!item.is_string()) return Bad(Index(Join(path, key), i), "is not a string");
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  Result<debian::DpkgVersion> Version(const std::string& text, const std::string& path) const {
    auto version = debian::DpkgVersion::Parse(text);
    if (!version)
      return Bad(path, "'" + PrintableText(text, 80) + "' is not a Debian version (" +
                           PrintableText(version.error().message(), 200) + ")");
    return *version;
  }

  static std::string Join(const std::string& path, const char* key) {
    return path.empty() ? std::string(key) : path + "." + key;
  }
  static std::string Index(const std::string& path, size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  const std::string& file_;
};

bool IsDebianEcosystem(std::string_view ecosystem) {
  return ecosystem == "Debian" || ecosystem.starts_with("Debian:");
}

bool EventBefore(const OsvEvent& a, const OsvEvent& b) {
  if (a.zero != b.zero) return a.zero;
  if (!a.zero) {
    auto order = a.version <=> b.version;
    if (order != std::strong_ordering::equal) return order == std::strong_ordering::less;
  }
  return a.kind < b.kind;
}

Result<OsvRange> ReadRange(const FieldReader& r, const json& range, const std::string& path) {
  OsvRange out;
  PLINTH_TRY(const json* events, r.Array(range, "events", path));
  if (!events || events->empty()) return r.Bad(FieldReader::Join(path, "events"), "is missing");
  static constexpr std::pair<const char*, OsvEvent::Kind> kKinds[] = {
      {"introduced", OsvEvent::Kind::kIntroduced},
      {"fixed", OsvEvent::Kind::kFixed},
      {"last_affected", OsvEvent::Kind::kLastAffected},
      {"limit", OsvEvent::Kind::kLimit},
  };
  for (size_t i = 0; i < events->size(); ++i) {
    std::string event_path = FieldReader::Index(FieldReader::Join(path, "events"), i);
    const json& event = (*events)[i];
    if (!event.is_object()) return r.Bad(event_path, "is not an object");
    bool found = false;
    for (const auto& [key, kind] : kKinds) {
      PLINTH_TRY(std::string text, r.String(event, key, event_path));
      if (text.empty()) continue;
      if (found) return r.Bad(event_path, "has more than one of introduced, fixed, ...");
      found = true;
      OsvEvent e;
      e.kind = kind;
      if (kind == OsvEvent::Kind::kIntroduced && text == "0") {
        e.zero = true;
      } else {
        PLINTH_TRY(e.version, r.Version(text, FieldReader::Join(event_path, key)));
      }
      out.events.push_back(std::move(e));
    }
    if (!found) return r.Bad(event_path, "has none of introduced, fixed, last_affected, limit");
  }
  std::stable_sort(out.events.begin(), out.events.end(), EventBefore);
  return out;
}

struct SeverityChoice {
  VulnSeverity severity = VulnSeverity::kUnknown;
  std::string origin;
  bool found = false;
};

// The CVSS v3 vector of a `severity` array, scored; not found when it holds none.
Result<SeverityChoice> CvssSeverity(const FieldReader& r, const json& obj,
                                    const std::string& path) {
  SeverityChoice choice;
  PLINTH_TRY(const json* list, r.Array(obj, "severity", path));
  if (!list) return choice;
  for (size_t i = 0; i < list->size(); ++i) {
    std::string item_path = FieldReader::Index(FieldReader::Join(path, "severity"), i);
    const json& item = (*list)[i];
    if (!item.is_object()) return r.Bad(item_path, "is not an object");
    PLINTH_TRY(std::string type, r.String(item, "type", item_path));
    PLINTH_TRY(std::string score, r.String(item, "score", item_path));
    if (type != "CVSS_V3" || choice.found) continue;
    auto base = Cvss3BaseScore(score);
    if (!base) return r.Bad(FieldReader::Join(item_path, "score"), base.error().message());
    choice.found = true;
    choice.severity = VulnSeverityFromCvssScore(*base);
    char figure[16];
    snprintf(figure, sizeof(figure), "%.1f", *base);
    choice.origin = score.substr(0, 8) + " " + figure;  // "CVSS:3.x", checked by the score
  }
  return choice;
}

// A label at `container.key` (database_specific.severity, ecosystem_specific.urgency); only a
// string is read (the field's shape is not part of the schema, so other types are ignored).
Result<SeverityChoice> LabelSeverity(const FieldReader& r, const json& obj, const char* container,
                                     const char* key, const std::string& path) {
  SeverityChoice choice;
  PLINTH_TRY(const json* specific, r.Object(obj, container, path));
  if (!specific) return choice;
  auto it = specific->find(key);
  if (it == specific->end() || !it->is_string()) return choice;
  std::string label = it->get<std::string>();
  VulnSeverity severity = VulnSeverityFromLabel(label);
  if (severity == VulnSeverity::kUnknown) return choice;
  choice.found = true;
  choice.severity = severity;
  choice.origin = std::string(key) + " " + PrintableText(label, 32);
  return choice;
}

bool Wanted(std::string_view ecosystem, const std::vector<std::string>& ecosystems) {
  if (!IsDebianEcosystem(ecosystem)) return false;
  if (ecosystems.empty()) return true;
  return std::any_of(ecosystems.begin(), ecosystems.end(),
                     [&](const std::string& image) { return EcosystemApplies(ecosystem, image); });
}

Result<ParsedOsvAdvisory> Parse(const json& doc, const std::string& file,
                                const std::vector<std::string>& ecosystems) {
  FieldReader r(file);
  ParsedOsvAdvisory parsed;
  if (!doc.is_object()) return r.Bad("(document)", "is not a JSON object");
  OsvAdvisory& a = parsed.advisory;
  a.file = file;
  PLINTH_TRY(a.id, r.String(doc, "id", ""));
  if (a.id.empty()) return r.Bad("id", "is missing");
  PLINTH_TRY(std::string withdrawn, r.String(doc, "withdrawn", ""));
  if (!withdrawn.empty()) {
    parsed.outcome = OsvOutcome::kWithdrawn;
    return parsed;
  }
  PLINTH_TRY(a.aliases, r.Strings(doc, "aliases", ""));
  PLINTH_TRY(a.summary, r.String(doc, "summary", ""));
  PLINTH_TRY(a.modified, r.String(doc, "modified", ""));
  // Advisory-wide severity: the entries' own fields come first.
  PLINTH_TRY(SeverityChoice top_cvss, CvssSeverity(r, doc, ""));
  PLINTH_TRY(SeverityChoice top_label, LabelSeverity(r, doc, "database_specific", "severity", ""));
  PLINTH_TRY(const json* affected, r.Array(doc, "affected", ""));
  if (affected) {
    for (size_t i = 0; i < affected->size(); ++i) {
      std::string path = FieldReader::Index("affected", i);
      const json& entry = (*affected)[i];
      if (!entry.is_object()) return r.Bad(path, "is not an object");
      PLINTH_TRY(const json* package, r.Object(entry, "package", path));
      if (!package) continue;  // a GIT-only entry names a repository, not a package
      std::string package_path = FieldReader::Join(path, "package");
      OsvAffected out;
      PLINTH_TRY(out.ecosystem, r.String(*package, "ecosystem", package_path));
      PLINTH_TRY(out.name, r.String(*package, "name", package_path));
      if (!Wanted(out.ecosystem, ecosystems)) continue;
      if (out.name.empty()) return r.Bad(FieldReader::Join(package_path, "name"), "is missing");
      PLINTH_TRY(const json* ranges, r.Array(entry, "ranges", path));
      if (ranges) {
        for (size_t j = 0; j < ranges->size(); ++j) {
          std::string range_path = FieldReader::Index(FieldReader::Join(path, "ranges"), j);
          const json& range = (*ranges)[j];
          if (!range.is_object()) return r.Bad(range_path, "is not an object");
          PLINTH_TRY(std::string type, r.String(range, "type", range_path));
          if (type != "ECOSYSTEM") continue;  // GIT commits and SEMVER say nothing of dpkg
          PLINTH_TRY(OsvRange parsed_range, ReadRange(r, range, range_path));
          out.ranges.push_back(std::move(parsed_range));
        }
      }
      PLINTH_TRY(std::vector<std::string> versions, r.Strings(entry, "versions", path));
      for (size_t j = 0; j < versions.size(); ++j) {
        PLINTH_CHECK(
            r.Version(versions[j], FieldReader::Index(FieldReader::Join(path, "versions"), j)));
      }
      out.versions = std::move(versions);
      PLINTH_TRY(SeverityChoice cvss, CvssSeverity(r, entry, path));
      PLINTH_TRY(SeverityChoice db, LabelSeverity(r, entry, "database_specific", "severity", path));
      PLINTH_TRY(SeverityChoice urgency,
                 LabelSeverity(r, entry, "ecosystem_specific", "urgency", path));
      for (const SeverityChoice* c : {&cvss, &top_cvss, &db, &top_label, &urgency}) {
        if (!c->found) continue;
        out.severity = c->severity;
        out.severity_origin = c->origin;
        break;
      }
      a.affected.push_back(std::move(out));
    }
  }
  if (a.affected.empty()) parsed.outcome = OsvOutcome::kOtherEcosystem;
  return parsed;
}

bool InRange(const OsvRange& range, const debian::DpkgVersion& v) {
  for (const OsvEvent& e : range.events)
    if (e.kind == OsvEvent::Kind::kLimit && v >= e.version) return false;
  bool affected = false;
  for (const OsvEvent& e : range.events) {
    switch (e.kind) {
      case OsvEvent::Kind::kIntroduced:
        if (e.zero || v >= e.version) affected = true;
        break;
      case OsvEvent::Kind::kFixed:
        if (v >= e.version) affected = false;
        break;
      case OsvEvent::Kind::kLastAffected:
        if (v > e.version) affected = false;
        break;
      case OsvEvent::Kind::kLimit:
        break;
    }
  }
  return affected;
}

}  // namespace

bool EcosystemApplies(std::string_view entry, std::string_view image) {
  return entry == image || (entry == "Debian" && image.starts_with("Debian"));
}

Result<ParsedOsvAdvisory> ParseOsvAdvisory(std::string_view text, const std::string& file,
                                           const std::vector<std::string>& ecosystems) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidInput("not valid JSON", Location{file});
  return oci::ReadJsonDocument<ParsedOsvAdvisory>(file,
                                                  [&] { return Parse(doc, file, ecosystems); });
}

bool IsAffected(const OsvAffected& affected, const debian::DpkgVersion& version) {
  for (const std::string& listed : affected.versions) {
    auto parsed = debian::DpkgVersion::Parse(listed);  // checked when read
    if (parsed && *parsed == version) return true;
  }
  for (const OsvRange& range : affected.ranges)
    if (InRange(range, version)) return true;
  return false;
}

std::optional<debian::DpkgVersion> FixedVersion(const OsvAffected& affected,
                                                const debian::DpkgVersion& version) {
  std::optional<debian::DpkgVersion> best;
  for (const OsvRange& range : affected.ranges)
    for (const OsvEvent& e : range.events)
      if (e.kind == OsvEvent::Kind::kFixed && e.version > version && (!best || e.version < *best))
        best = e.version;
  return best;
}

}  // namespace plinth::audit
