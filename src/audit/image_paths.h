// Paths inside an audited image, resolved as the kernel and the dynamic loader would inside a
// container: symlinks (absolute ones from the image's root, `..` stopping at the root) are
// followed through the merged file table of ImageFacts, never outside it, at most 40 of them.
// Folders that the layers imply without a member of their own count as folders.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/image_facts.h"

namespace plinth::audit {

struct ResolvedPath {
  std::string path;                 // no leading "/"; "" is the root
  const FileFacts* file = nullptr;  // null: nothing there
};

// nullopt: the path cannot be walked (a file where a folder should be, a symlink loop).
std::optional<ResolvedPath> ResolveImagePath(const ImageFacts& facts, std::string_view path,
                                             bool follow_last = true);

// Whether the resolved path is a regular file (or a hard link to one) with an execute bit.
bool IsExecutable(const ResolvedPath& resolved);

// "/a/b/../c" -> "a/c": lexical, for joining a folder and a relative name.
std::string JoinImagePath(std::string_view dir, std::string_view name);
std::string ParentOf(std::string_view path);
std::string_view BaseName(std::string_view path);

}  // namespace plinth::audit
