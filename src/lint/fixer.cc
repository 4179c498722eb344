#include "lint/fixer.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "lint/fix_rules.h"
#include "lint/linter.h"

namespace plinth::lint {
namespace {

// Rounds of FixDockerfileFully: the longest chain of fixes uncovering fixes is two.
constexpr int kMaxRounds = 4;

const std::set<std::string>& FixableCodes() {
  static const std::set<std::string> codes = {"PL210", "PL215", "PL205", "PL241",
                                              "PL255", "PL237", "PL107"};
  return codes;
}

bool At(const Location& a, const Location& b) { return a.line == b.line && a.column == b.column; }

fix::Outcome FixOne(const fix::Source& source, const Finding& f, const DigestResolver& resolve) {
  for (const auto& stage : source.view.stages) {
    if (f.code == "PL107") {
      if (stage.from && At(stage.from->location, f.location))
        return fix::FixPinDigest(source, stage, resolve);
      continue;
    }
    for (const auto& ins : stage.instructions) {
      if (!At(ins.location, f.location)) continue;
      if (f.code == "PL210") return fix::FixExecForm(source, stage, ins);
      if (f.code == "PL215") return fix::FixMaintainer(source, ins);
      if (f.code == "PL205") return fix::FixAddToCopy(source, ins);
      if (f.code == "PL241") return fix::FixAptCommand(source, ins);
      if (f.code == "PL255") return fix::FixWgetProgress(source, ins);
      if (f.code == "PL237") return fix::FixNoInstallRecommends(source, ins);
    }
  }
  return fix::Skip("no instruction at the finding's place");
}

}  // namespace

bool HasFix(const Finding& finding) { return FixableCodes().count(finding.code) > 0; }

Result<FileFix> FixDockerfile(const std::string& content, const std::string& path,
                              const std::vector<Finding>& findings, const DigestResolver& resolve) {
  FileFix out;
  out.path = path;
  out.before = out.after = content;
  PLINTH_TRY(auto view, ViewDockerfile(content, path, ViewOptions{}));
  fix::Source source(content, view);
  struct Planned {
    fix::Edit edit;
    size_t note;
  };
  std::vector<Planned> edits;
  std::set<std::tuple<int, int, std::string>> seen;
  for (const auto& f : findings) {
    if (f.location.file != path || !HasFix(f)) continue;
    if (!seen.insert({f.location.line, f.location.column, f.code}).second) continue;
    fix::Outcome outcome = FixOne(source, f, resolve);
    if (outcome.edits.empty()) {
      out.skipped.push_back({f.location, f.code, outcome.text});
      continue;
    }
    out.applied.push_back({f.location, f.code, outcome.text});
    for (auto& e : outcome.edits) edits.push_back({std::move(e), out.applied.size() - 1});
  }
  // Back to front, so earlier offsets hold; an edit overlapping one already taken is dropped
  // with its whole fix (the next round sees the finding again).
  std::stable_sort(edits.begin(), edits.end(),
                   [](const Planned& a, const Planned& b) { return a.edit.begin > b.edit.begin; });
  std::set<size_t> dropped;
  size_t limit = std::string::npos;
  for (const auto& p : edits) {
    if (p.edit.end > limit || p.edit.begin > p.edit.end || p.edit.end > content.size())
      dropped.insert(p.note);
    else
      limit = p.edit.begin;
  }
  for (const auto& p : edits) {
    if (dropped.count(p.note)) continue;
    out.after.replace(p.edit.begin, p.edit.end - p.edit.begin, p.edit.text);
  }
  if (!dropped.empty()) {
    std::vector<FixNote> kept;
    for (size_t i = 0; i < out.applied.size(); ++i) {
      if (!dropped.count(i)) {
        kept.push_back(out.applied[i]);
        continue;
      }
      out.skipped.push_back({out.applied[i].where, out.applied[i].code, "overlaps another fix"});
    }
    out.applied = std::move(kept);
  }
  return out;
}

Result<FileFix> FixDockerfileFully(const std::string& content, const std::string& path,
                                   const std::vector<Finding>& findings, const LintConfig& config,
                                   const DigestResolver& resolve) {
  FileFix all;
  all.path = path;
  all.before = all.after = content;
  std::vector<Finding> current = findings;
  for (int round = 0; round < kMaxRounds; ++round) {
    PLINTH_TRY(FileFix step, FixDockerfile(all.after, path, current, resolve));
    all.applied.insert(all.applied.end(), step.applied.begin(), step.applied.end());
    for (auto& s : step.skipped) {
      bool known = std::any_of(all.skipped.begin(), all.skipped.end(), [&](const FixNote& n) {
        return At(n.where, s.where) && n.code == s.code;
      });
      if (!known) all.skipped.push_back(std::move(s));
    }
    if (!step.changed()) break;
    all.after = std::move(step.after);
    LintOptions options;
    options.config = config;
    PLINTH_TRY(LintResult again, LintDockerfileText(all.after, path, options));
    current = std::move(again.findings);
  }
  std::sort(all.applied.begin(), all.applied.end(), [](const FixNote& a, const FixNote& b) {
    return std::tie(a.where.line, a.where.column, a.code) <
           std::tie(b.where.line, b.where.column, b.code);
  });
  return all;
}

}  // namespace plinth::lint
