// In-memory KeySources for the plan tests: a build context as a map of paths, images as a map
// of references, recipes as a map of paths. Nothing here touches the disk or a store.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dockerfile/parser.h"
#include "plan/build_plan.h"
#include "plan/cache_records.h"
#include "plan/key_sources.h"
#include "util/sha256.h"

namespace plinth::plan::testing {

class MemoryContext : public ContextFiles {
 public:
  struct Entry {
    PathInfo info;
    std::string content;
  };
  // Parents are made as folders (0755) when missing.
  void File(const std::string& path, const std::string& content, uint32_t mode = 0644) {
    Parents(path);
    entries_[path] = {{PathInfo::Type::kFile, mode, ""}, content};
  }
  void Dir(const std::string& path, uint32_t mode = 0755) {
    Parents(path);
    entries_[path] = {{PathInfo::Type::kDirectory, mode, ""}, ""};
  }
  void Link(const std::string& path, const std::string& target) {
    Parents(path);
    entries_[path] = {{PathInfo::Type::kSymlink, 0777, target}, ""};
  }
  void Remove(const std::string& path) { entries_.erase(path); }
  Entry& at(const std::string& path) { return entries_.at(path); }
  // Every path Lstat, List or Digest was asked about, in order.
  std::vector<std::string> asked;

  Result<std::optional<PathInfo>> Lstat(const std::string&, const std::string& rel) override {
    asked.push_back(rel);
    if (rel == ".") return std::optional<PathInfo>(PathInfo{PathInfo::Type::kDirectory, 0755, ""});
    auto it = entries_.find(rel);
    if (it == entries_.end()) return std::optional<PathInfo>();
    return std::optional<PathInfo>(it->second.info);
  }
  Result<std::vector<std::string>> List(const std::string&, const std::string& rel) override {
    asked.push_back(rel);
    std::vector<std::string> names;
    std::string prefix = rel == "." ? "" : rel + "/";
    for (const auto& [path, entry] : entries_) {
      if (path.rfind(prefix, 0) != 0) continue;
      std::string rest = path.substr(prefix.size());
      if (!rest.empty() && rest.find('/') == std::string::npos) names.push_back(rest);
    }
    return names;
  }
  Result<std::string> Digest(const std::string&, const std::string& rel) override {
    asked.push_back(rel);
    auto it = entries_.find(rel);
    if (it == entries_.end() || it->second.info.type != PathInfo::Type::kFile)
      return NotFound("no file " + rel);
    return "sha256:" + Sha256::HexOf(it->second.content);
  }

 private:
  void Parents(const std::string& path) {
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1))
      if (!entries_.count(path.substr(0, slash)))
        entries_[path.substr(0, slash)] = {{PathInfo::Type::kDirectory, 0755, ""}, ""};
  }
  std::map<std::string, Entry> entries_;
};

class MemoryImages : public BaseResolver {
 public:
  std::map<std::string, BaseImage> images;  // by "REF PLATFORM"
  void Set(const std::string& ref, const std::string& digest,
           std::vector<std::string> on_build = {}, const std::string& platform = "linux/amd64") {
    images[ref + " " + platform] = {digest, std::move(on_build)};
  }
  Result<BaseImage> Resolve(const std::string& ref, const oci::Platform& platform) override {
    auto it = images.find(ref + " " + platform.str());
    if (it == images.end()) return NotFound("no image " + ref);
    return it->second;
  }
};

class MemoryRecipes : public RecipeReader {
 public:
  std::map<std::string, RecipeInputs> recipes;  // by "PATH ARCH"
  Result<RecipeInputs> Read(const std::string& path, const std::string& arch) override {
    auto it = recipes.find(path + " " + arch);
    if (it == recipes.end()) return NotFound("no recipe " + path);
    return it->second;
  }
};

class MemoryRecords : public CacheIndex {
 public:
  std::map<std::string, oci::Descriptor> images;  // by key digest
  std::map<std::string, TargetRecord> targets;
  std::optional<oci::Descriptor> Image(const CacheKey& key) const override {
    auto it = images.find(key.Digest());
    if (it == images.end()) return std::nullopt;
    return it->second;
  }
  std::optional<TargetRecord> Last(const std::string& name) const override {
    auto it = targets.find(name);
    if (it == targets.end()) return std::nullopt;
    return it->second;
  }
};

// Everything at once, with `sources()` to hand to the key.
struct MemorySources {
  MemoryContext context;
  MemoryImages images;
  MemoryRecipes recipes;
  KeySources sources() { return {&context, &images, &recipes}; }
};

// A Dockerfile target of context "/ctx" for `platform`, its Dockerfile given as text.
inline TargetSpec DockerfileSpec(const std::string& text,
                                 std::map<std::string, std::string> build_args = {},
                                 const std::string& platform = "linux/amd64",
                                 const std::string& dockerignore = "") {
  TargetSpec spec;
  spec.name = "app";
  spec.platform = *oci::Platform::Parse(platform);
  spec.image = "pickme/app:latest";
  spec.dockerfile = "/ctx/Dockerfile";
  spec.context = "/ctx";
  spec.build_args = build_args;
  auto ast = dockerfile::Parse(text, "Dockerfile");
  EXPECT_TRUE(ast.ok()) << ast.error().ToString();
  auto graph = dockerfile::BuildStageGraph(
      *ast, {.build_args = build_args,
             .build_platform = *dockerfile::BuildPlatform::Parse("linux/amd64"),
             .target_platform = *dockerfile::BuildPlatform::Parse(platform)});
  EXPECT_TRUE(graph.ok()) << graph.error().ToString();
  spec.stages = std::make_shared<const dockerfile::StageGraph>(std::move(*graph));
  auto ignore = dockerfile::DockerIgnore::Parse(dockerignore);
  spec.ignore = std::make_shared<const dockerfile::DockerIgnore>(std::move(*ignore));
  if (!dockerignore.empty()) spec.ignore_file = "ctx/.dockerignore";
  return spec;
}

}  // namespace plinth::plan::testing
