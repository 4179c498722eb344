#include "builder/copy_step.h"

#include <sys/stat.h>

#include "builder/copy_sources.h"
#include "builder/layer_entries.h"
#include "builder/stage_engine.h"
#include "builder/user_lookup.h"
#include "dockerfile/heredoc.h"
#include "util/rooted_path.h"
#include "util/safe_path.h"

namespace plinth::builder {
namespace {

using dockerfile::Instruction;
using dockerfile::InstructionKind;

std::string Rel(const std::string& abs_path) {
  auto r = RelativeInsideRoot(abs_path);
  return r ? *r : ".";
}

bool IsDirIn(const std::string& rootfs, const std::string& abs_path) {
  if (rootfs.empty()) return false;
  auto st = StatInRoot(rootfs, Rel(abs_path));  // a link to a folder is one, inside the image
  return st && *st && S_ISDIR((*st)->st_mode);
}

Result<uint32_t> ParseChmod(const std::string& text) {
  if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos)
    return InvalidInput("--chmod '" + text + "' must be an octal mode such as 0755");
  return static_cast<uint32_t>(std::stoul(text, nullptr, 8));
}

// The folder the sources are read from: the context, an earlier stage, or an image.
struct SourceRoot {
  std::string dir;
  const dockerfile::DockerIgnore* ignore = nullptr;
  bool keep_owner = false;  // COPY --from keeps the owners files have in the source
};

Result<SourceRoot> FindSourceRoot(const StageContext& ctx, const Instruction& ins, int index,
                                  const StageVars& vars) {
  if (ins.copy.from.empty()) return SourceRoot{ctx.options->context_dir, ctx.options->ignore, false};
  std::optional<dockerfile::StageRef> ref;
  for (const auto& e : ctx.graph->stage(ctx.stage).edges)
    if (e.kind == dockerfile::EdgeKind::kCopyFrom && e.instruction == index) ref = e.ref;
  if (!ref) {
    // ONBUILD triggers are not in the graph: resolve by name here.
    dockerfile::ShellLex lex;
    PLINTH_TRY(std::string from, lex.ProcessWord(ins.copy.from, vars));
    int stage_index = ctx.graph->Find(from);
    ref = stage_index >= 0 ? dockerfile::StageRef{dockerfile::RefKind::kStage, stage_index, ""}
                           : dockerfile::StageRef{dockerfile::RefKind::kImage, -1, from};
  }
  const ResolvedImage* source = nullptr;
  ResolvedImage pulled;
  if (ref->kind == dockerfile::RefKind::kStage) {
    auto it = ctx.done->find(ref->stage);
    if (it == ctx.done->end()) return Internal("COPY --from a stage that is not built yet");
    source = &it->second;
  } else {
    PLINTH_TRY(pulled, ctx.images->Resolve(ref->image, ctx.options->platform));
    source = &pulled;
  }
  PLINTH_TRY(std::string dir, ctx.rootfs->Materialize(source->image));
  return SourceRoot{dir, nullptr, true};
}

Result<oci::Image> Commit(const StageContext& ctx, oci::Image image, const LayerEntries& entries,
                          const std::string& created_by) {
  PLINTH_TRY(WrittenLayer layer, WriteLayer(*ctx.store, entries, ctx.options->compression,
                                            ctx.options->timestamp, ctx.options->progress));
  return oci::AppendLayer(std::move(image), layer.descriptor, layer.diff_id,
                          {.created = oci::FormatTimestamp(ctx.options->timestamp),
                           .created_by = created_by,
                           .comment = "buildkit.dockerfile.v0"});
}

}  // namespace

Result<oci::Image> ApplyCopy(const StageContext& ctx, oci::Image image, const StageVars& vars,
                             const Instruction& ins, int index) {
  dockerfile::ShellLex lex({.escape_token = ctx.graph->escape_token()});
  const auto& copy = ins.copy;
  std::vector<std::string> sources;
  std::vector<const dockerfile::Heredoc*> heredocs;
  for (const auto& s : copy.sources) {
    if (s.rfind("<<", 0) == 0) {
      for (const auto& h : ins.heredocs)
        if (s.find(h.name) != std::string::npos) heredocs.push_back(&h);
      continue;
    }
    PLINTH_TRY(std::string expanded, lex.ProcessWord(s, vars));
    sources.push_back(expanded);
  }
  PLINTH_TRY(std::string dest, lex.ProcessWord(copy.dest, vars));
  bool trailing_slash = !dest.empty() && (dest.back() == '/' || dest == ".");
  const auto& config = image.config.config;
  if (dest.empty() || dest[0] != '/')
    dest = (config.working_dir.empty() ? std::string("/") : config.working_dir + "/") + dest;
  dest = CleanPath(dest);

  std::string lower;
  if (!image.layers.empty()) {
    PLINTH_TRY(lower, ctx.rootfs->Materialize(image));
  }

  std::optional<Owner> chown;
  if (!copy.chown.empty()) {
    PLINTH_TRY(std::string spec, lex.ProcessWord(copy.chown, vars));
    PLINTH_TRY(Owner o, ResolveOwner(spec, lower));
    chown = o;
  }
  std::optional<uint32_t> chmod;
  if (!copy.chmod.empty()) {
    PLINTH_TRY(std::string spec, lex.ProcessWord(copy.chmod, vars));
    PLINTH_TRY(chmod, ParseChmod(spec));
  }

  LayerEntries entries;
  bool dest_is_dir = trailing_slash || IsDirIn(lower, dest) || heredocs.size() > 1 ||
                     sources.size() + heredocs.size() > 1;
  std::string shown_sources;
  if (!sources.empty()) {
    PLINTH_TRY(SourceRoot root, FindSourceRoot(ctx, ins, index, vars));
    auto selection = SelectSources(root.dir, sources, root.ignore);
    if (!selection) return selection.error();
    dest_is_dir = dest_is_dir || selection->dest_is_directory;
    for (const auto& p : selection->paths) {
      // root_relative holds no link but (for a symlink copied as one) its last component.
      std::string abs = root.dir + "/" + p.root_relative;
      struct stat st;
      if (lstat(abs.c_str(), &st) != 0) return ErrnoError("reading " + abs, errno);
      std::string target = dest_is_dir ? dest + "/" + p.dest_relative : dest;
      LayerEntry e;
      e.mode = ctx.rootfs->ModeOf(root.dir, st);  // with setuid/setgid an unpacked tree lacks
      if (root.keep_owner) e.uid = st.st_uid, e.gid = st.st_gid;
      if (chown) e.uid = chown->uid, e.gid = chown->gid;
      switch (p.type) {
        case SelectedPath::Type::kDirectory: e.type = LayerEntry::Type::kDirectory; break;
        case SelectedPath::Type::kSymlink: {
          e.type = LayerEntry::Type::kSymlink;
          std::vector<char> buf(4096);
          ssize_t n = readlink(abs.c_str(), buf.data(), buf.size());
          if (n < 0) return ErrnoError("reading link " + abs, errno);
          e.link_target.assign(buf.data(), static_cast<size_t>(n));
          break;
        }
        case SelectedPath::Type::kFile:
          e.type = LayerEntry::Type::kFile;
          e.source_root = root.dir;
          e.source = p.root_relative;
          if (access(abs.c_str(), R_OK) != 0) return ErrnoError("reading " + abs, errno);
          break;
      }
      if (chmod && e.type != LayerEntry::Type::kSymlink) e.mode = *chmod;
      entries[Rel(target)] = e;
    }
    for (const auto& s : sources) shown_sources += s + " ";
  }
  for (const auto* h : heredocs) {
    std::string content = h->content;
    if (h->chomp) content = dockerfile::ChompHeredocContent(content);
    if (h->expand) {
      dockerfile::ShellLex raw({.escape_token = ctx.graph->escape_token(), .skip_process_quotes = true});
      PLINTH_TRY(content, raw.ProcessWord(content, vars));
    }
    std::string target = dest_is_dir ? dest + "/" + h->name : dest;
    LayerEntry e{.type = LayerEntry::Type::kContent, .content = content,
                 .mode = chmod.value_or(0644)};
    if (chown) e.uid = chown->uid, e.gid = chown->gid;
    entries[Rel(target)] = e;
    shown_sources += "<<" + h->name + " ";
  }
  if (dest_is_dir && Rel(dest) != "." && !entries.count(Rel(dest)) && !IsDirIn(lower, dest)) {
    LayerEntry d{.type = LayerEntry::Type::kDirectory, .mode = 0755};
    if (chown) d.uid = chown->uid, d.gid = chown->gid;
    entries[Rel(dest)] = d;
  }
  AddParentFolders(&entries, lower, chown ? chown->uid : 0, chown ? chown->gid : 0);
  std::string keyword = ins.kind == InstructionKind::kAdd ? "ADD " : "COPY ";
  std::string from = copy.from.empty() ? "" : "--from=" + copy.from + " ";
  return Commit(ctx, std::move(image), entries,
                keyword + from + shown_sources + dest + " # buildkit");
}

Result<oci::Image> CreateWorkdir(const StageContext& ctx, oci::Image image, const std::string& dir) {
  if (dir == "/") return image;
  std::string lower;
  if (!image.layers.empty()) {
    PLINTH_TRY(lower, ctx.rootfs->Materialize(image));
  }
  if (IsDirIn(lower, dir)) return image;
  Owner owner;
  if (!image.config.config.user.empty()) {
    PLINTH_TRY(owner, ResolveOwner(image.config.config.user, lower));
  }
  LayerEntries entries;
  entries[Rel(dir)] = {.type = LayerEntry::Type::kDirectory, .mode = 0755, .uid = owner.uid,
                       .gid = owner.gid};
  AddParentFolders(&entries, lower, owner.uid, owner.gid);
  return Commit(ctx, std::move(image), entries, "WORKDIR " + dir);
}

}  // namespace plinth::builder
