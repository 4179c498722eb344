#include "lint/migration.h"

#include <sstream>

#include "fleet/base_pattern.h"
#include "fleet/tag_template.h"
#include "fleet/tier_policy.h"
#include "lint/base_facts.h"
#include "lint/dockerfile_view.h"
#include "util/atomic_file.h"
#include "util/fs.h"

namespace plinth::lint {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size() - 1;
    lines.push_back(text.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return lines;
}

// Byte offset of the first line `line` (1-based) in text.
size_t LineOffset(const std::string& text, int line) {
  size_t pos = 0;
  for (int l = 1; l < line && pos != std::string::npos; ++l) {
    pos = text.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return pos == std::string::npos ? text.size() : pos;
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Replaces the image word of the FROM instruction spanning [first_line, last_line].
Result<std::string> ReplaceImage(const std::string& text, const Location& from, int last_line,
                                 const std::string& old_image, const std::string& new_image) {
  size_t begin = LineOffset(text, from.line) + std::max(0, from.column - 1) + 4;  // after FROM
  size_t end = LineOffset(text, last_line + 1);
  for (size_t pos = text.find(old_image, begin); pos != std::string::npos && pos < end;
       pos = text.find(old_image, pos + 1)) {
    bool starts = IsBlank(text[pos - 1]);
    size_t after = pos + old_image.size();
    bool ends = after >= text.size() || IsBlank(text[after]);
    if (starts && ends) return text.substr(0, pos) + new_image + text.substr(after);
  }
  return InvalidInput("cannot find the image \"" + old_image + "\" on the FROM line", from);
}

std::string FirstPlatform(const fleet::Fleet& fleet, const fleet::Target& t) {
  const auto& p = fleet.PlatformsOf(t);
  return p.empty() ? "linux/amd64" : p.front();
}

}  // namespace

Result<std::string> PlatformIndependentImage(const fleet::Fleet& fleet, const fleet::Target& base) {
  fleet::TemplateValues values{fleet.registry, fleet.name_space, base.name, "${TARGETOS}",
                               "${TARGETARCH}", "${TARGETVARIANT}"};
  const std::string& text = base.image.empty() ? fleet.image_template : base.image;
  PLINTH_TRY(auto image, fleet::ExpandTemplate(text, values));
  if (!fleet.registry.empty() && fleet.registry != "docker.io" && !image.starts_with(fleet.registry + "/"))
    image = fleet.registry + "/" + image;
  return image;
}

Result<MigrationPlan> PlanMigration(const fleet::Fleet& fleet) {
  MigrationPlan plan;
  std::map<std::string, std::map<std::string, BaseFacts>> facts;
  for (const auto& service : fleet.services) {
    const fleet::Tier* tier = fleet.TierOf(service);
    if (!tier || service.dockerfile.empty()) continue;
    std::string path = fleet.DockerfilePath(service);
    PLINTH_TRY(auto content, ReadFile(path));
    std::string platform = FirstPlatform(fleet, service);
    ViewOptions options{platform, service.build_args};
    PLINTH_TRY(auto view, ViewDockerfile(content, path, options));
    const LintStage* runtime = view.runtime();
    if (!runtime || !runtime->from) continue;
    const LintStage* root = runtime;
    while (root->parent >= 0) root = &view.stages[root->parent];
    if (!facts.count(platform)) facts[platform] = FactsOfBases(fleet, platform);
    const auto& base_facts = facts[platform];
    const fleet::Target* current_fleet_base = fleet.BaseForImage(root->base, platform);

    std::string wanted;
    if (!service.base.empty()) {
      if (const fleet::Target* declared = fleet.FindBase(service.base)) {
        PLINTH_TRY(wanted, PlatformIndependentImage(fleet, *declared));
        if (current_fleet_base == declared) wanted = root->base_written;  // any spelling will do
      } else {
        wanted = service.base;
      }
    } else if (fleet::CheckRuntimeBase(*tier, root->base, current_fleet_base).allowed()) {
      wanted = root->base_written;
    } else if (current_fleet_base) {
      auto it = base_facts.find(current_fleet_base->name);
      if (it != base_facts.end() && !it->second.upstream_written.empty() &&
          fleet::CheckRuntimeBase(*tier, it->second.upstream, nullptr).allowed())
        wanted = it->second.upstream_written;
    } else {
      std::string repository = fleet::RepositoryOf(root->base);
      const fleet::Target* pick = nullptr;
      for (const auto& base : fleet.bases) {
        if (!fleet::CheckRuntimeBase(*tier, fleet.ImageFor(base, platform).value_or(""), &base).allowed()) continue;
        auto it = base_facts.find(base.name);
        bool same_upstream = it != base_facts.end() && fleet::RepositoryOf(it->second.upstream) == repository;
        if (same_upstream) { pick = &base; break; }
        if (!pick) pick = &base;
      }
      if (pick) {
        PLINTH_TRY(wanted, PlatformIndependentImage(fleet, *pick));
      }
    }
    if (wanted.empty()) {
      plan.unresolved.push_back(root->from->location.ToString() + ": " + service.name + ": no base in tier \"" +
                                tier->name + "\"'s policy fits; declare `base:` for it in plinth.yaml");
      continue;
    }
    if (wanted == root->base_written) continue;
    PLINTH_TRY(auto after, ReplaceImage(content, root->from->location, root->from->end_line,
                                        root->base_written, wanted));
    plan.changes.push_back({service.name, path, root->from->location, root->base_written, wanted,
                            std::move(content), std::move(after)});
  }
  return plan;
}

Status ApplyMigration(const MigrationPlan& plan) {
  for (const auto& change : plan.changes) {
    auto status = WriteFileAtomic(change.path, change.after);
    if (!status) return status.error().Context("writing " + change.path);
  }
  return Ok{};
}

std::string UnifiedDiff(const std::string& before, const std::string& after, const std::string& old_name,
                        const std::string& new_name) {
  std::vector<std::string> a = SplitLines(before), b = SplitLines(after);
  if (a == b) return "";
  const int n = static_cast<int>(std::max(a.size(), b.size()));
  auto line = [](const std::vector<std::string>& v, int i) { return i < static_cast<int>(v.size()) ? v[i] : ""; };
  std::vector<int> changed;
  for (int i = 0; i < n; ++i)
    if (line(a, i) != line(b, i)) changed.push_back(i);
  std::ostringstream out;
  out << "--- " << old_name << "\n+++ " << new_name << "\n";
  constexpr int kContext = 3;
  size_t k = 0;
  while (k < changed.size()) {
    int first = std::max(0, changed[k] - kContext);
    size_t last_change = k;
    while (last_change + 1 < changed.size() && changed[last_change + 1] - changed[last_change] <= 2 * kContext)
      ++last_change;
    int last = std::min(n - 1, changed[last_change] + kContext);
    int count = last - first + 1;
    out << "@@ -" << first + 1 << "," << count << " +" << first + 1 << "," << count << " @@\n";
    std::string removed, added;
    auto flush = [&] {
      out << removed << added;
      removed.clear();
      added.clear();
    };
    for (int i = first; i <= last; ++i) {
      auto terminate = [](std::string s) { return s.ends_with("\n") ? s : s + "\n\\ No newline at end of file\n"; };
      if (line(a, i) == line(b, i)) {
        flush();
        out << " " << terminate(line(a, i));
      } else {
        removed += "-" + terminate(line(a, i));
        added += "+" + terminate(line(b, i));
      }
    }
    flush();
    k = last_change + 1;
  }
  return out.str();
}

}  // namespace plinth::lint
