// StageGraph: the build stages of one Dockerfile and the edges between them, after ARG
// expansion, as BuildKit resolves them. It is what lint, plan and build work from.
//
// Guarantees:
//  - stages are in file order; `index` is the position, `name` the lower-cased `AS` name;
//  - `base` is the FROM image after expanding global ARGs (build args and the automatic
//    platform ARGs included); it refers to an earlier stage by name, to `scratch`, or to an
//    image;
//  - every `COPY --from` and `RUN --mount=...,from=` is resolved (after expansion in the stage's
//    scope) to a stage index or an external image; a cycle or a stage index out of range is an
//    error with the instruction's location;
//  - `target` is the stage asked for (by name) or the last; the runtime stage is the last.
// Expansion follows BuildKit: ARG before the first FROM is global and only visible to FROM
// lines (and to stages that re-declare it); ENV overrides ARG; build args override defaults.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ast.h"
#include "dockerfile/build_platform.h"
#include "dockerfile/instructions.h"
#include "dockerfile/shell_lex.h"
#include "util/result.h"

namespace plinth::dockerfile {

enum class RefKind { kStage, kImage, kScratch };

// What a FROM, COPY --from or mount from= points at.
struct StageRef {
  RefKind kind = RefKind::kImage;
  int stage = -1;     // kStage: the stage index
  std::string image;  // kImage: the reference as expanded
};

enum class EdgeKind { kFrom, kCopyFrom, kMountFrom };
const char* EdgeKindName(EdgeKind kind);

struct StageEdge {
  int stage = 0;         // the stage that depends
  int instruction = -1;  // index into Stage::instructions; -1 for the FROM line
  EdgeKind kind = EdgeKind::kFrom;
  std::string written;   // the reference as written in the file
  StageRef ref;
  Location location;
};

struct Stage {
  int index = 0;
  std::string name;  // empty when the stage has no `AS name`
  Location location;
  Instruction from;
  std::string base_written;
  std::string base;  // expanded
  std::string platform_written;
  std::string platform;  // expanded --platform, empty if none
  StageRef base_ref;
  std::vector<Instruction> instructions;  // after FROM, in order
  std::vector<StageEdge> edges;           // FROM first, then COPY --from / mounts in order
  bool runs = false;                      // has a RUN instruction
  VarMap args;  // ARG values in scope at the end of the stage
  VarMap env;   // ENV values set by the stage (the base image's are unknown here)

  // "name" or "#index".
  std::string DisplayName() const;
};

struct StageGraphOptions {
  std::map<std::string, std::string> build_args;
  std::string target;  // stage name; empty: the last stage
  std::optional<BuildPlatform> build_platform;   // default: the host
  std::optional<BuildPlatform> target_platform;  // default: the build platform
};

class StageGraph {
 public:
  const std::vector<Stage>& stages() const { return stages_; }
  const Stage& stage(int index) const { return stages_.at(index); }
  int target() const { return target_; }
  int runtime() const { return static_cast<int>(stages_.size()) - 1; }
  const std::vector<Instruction>& global_args() const { return global_args_; }
  const VarMap& meta_args() const { return meta_args_; }  // global ARGs + platform ARGs
  const BuildPlatform& build_platform() const { return build_platform_; }
  const BuildPlatform& target_platform() const { return target_platform_; }
  char escape_token() const { return escape_token_; }

  // The stage called `name` (case-insensitive) or with that decimal index; -1 if none.
  int Find(std::string_view name) const;
  // Every edge of every stage, in file order.
  std::vector<StageEdge> Edges() const;
  // Stage indices `stage` depends on directly (deduplicated, ascending).
  std::vector<int> Dependencies(int stage) const;
  // `stage` and everything it needs, ascending: the stages a build of it runs.
  std::vector<int> Closure(int stage) const;
  // External images the closure of `stage` pulls (bases, COPY --from and mount images).
  std::vector<std::string> ExternalImages(int stage) const;

 private:
  friend Result<StageGraph> BuildStageGraph(const Ast&, const StageGraphOptions&);
  std::vector<Stage> stages_;
  std::vector<Instruction> global_args_;
  VarMap meta_args_;
  BuildPlatform build_platform_;
  BuildPlatform target_platform_;
  char escape_token_ = '\\';
  int target_ = 0;
};

Result<StageGraph> BuildStageGraph(const Ast& ast, const StageGraphOptions& options);

// Parses the file and builds its graph.
Result<StageGraph> LoadStageGraph(const std::string& path, const StageGraphOptions& options);

}  // namespace plinth::dockerfile
