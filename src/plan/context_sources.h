// ContextSources: the files of a build context that a COPY or ADD source list reads, each with
// every attribute of it that reaches the image, as cache-key inputs:
//
//   input  := "context:" PATH  →  attrs          (PATH relative to the context, cleaned)
//   attrs  := "file " MODE " sha256:" HEX       (content and permission bits, 4 octal digits)
//           | "dir " MODE
//           | "symlink -> " TARGET               (the link's text; the link is not followed)
//           | "other " MODE                      (fifo, socket, device: copied as what it is)
//           | "missing"                          (where a followed link leads to nothing)
//
// Owners and times are not inputs: a context file enters a layer as root:root (or --chown)
// with the build's timestamp. The selection is the builder's (builder/copy_sources.h): a source
// is cleaned and taken inside the context; Go's filepath.Match wildcards over whole paths; a
// folder selects its contents, recursively; .dockerignore'd paths are invisible, and a plain
// source that is missing or ignored is the same error the build reports. Links: a source path
// (each wildcard match) is followed as BuildKit follows it, component by component inside the
// context (absolute targets and `..` never leave it; 40 links at most), and every link passed
// through is an input too; links found inside a copied folder are inputs as links. Where the
// builder and BuildKit could differ (a link to a folder, an ignored link target), both readings'
// files are inputs, so the key never misses one.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "dockerfile/dockerignore.h"
#include "plan/key_sources.h"

namespace plinth::plan {

// Adds the inputs `sources` (as expanded, heredocs left out) read from `context` to `inputs`.
Status AddContextSources(ContextFiles& files, const std::string& context,
                         const dockerfile::DockerIgnore* ignore,
                         const std::vector<std::string>& sources,
                         std::map<std::string, std::string>* inputs);

}  // namespace plinth::plan
