// LayerBuilder: collects what goes into one layer, then writes it sorted, clamped and owned as
// LayerOptions say, through a LayerStream, in one pass. Entries come from disk (AddSpec: a file,
// or a whole tree whose *contents* go under dest, as docker's COPY does) or are given
// explicitly (files whose content a callback opens, directories, symlinks, hard links).
//
// Guarantees: entries are written in byte order of their names (a directory precedes its
// contents); a later Add of the same name replaces the earlier one; every parent directory
// exists in the layer (created 0755); files on disk with several links in the layer become one
// regular file and hard links to it; metadata is held per entry, content only streams.
// Sockets and devices are refused with an error naming the path.
//
// For members that arrive already in order from another archive (a .deb's data.tar), skip the
// builder: normalize each with NormalizeEntry() and write them with a TarWriter into a
// LayerStream.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "layer/layer_info.h"
#include "layer/layer_options.h"
#include "layer/tar_entry.h"
#include "util/byte_stream.h"

namespace plinth::layer {

// A file or a tree on disk, and where it goes in the layer ("/app", "/app/", "/").
struct AddSpec {
  std::string source;
  std::string dest;
};

// Opens the content of an explicit file entry, when the layer is written.
using ContentOpener = std::function<Result<std::unique_ptr<ByteSource>>()>;

class LayerBuilder {
 public:
  explicit LayerBuilder(LayerOptions options) : options_(std::move(options)) {}

  // Docker's rules: a directory's contents go under dest; a file goes to dest, or into it when
  // dest ends with '/'. The top-level source is followed if it is a symlink; nothing below is.
  Status Add(const AddSpec& spec);
  // An explicit entry. Regular files need `content` (unless size is 0); its uid/gid are kept
  // unless options.owner is set; its mtime is clamped.
  Status AddEntry(TarEntry entry, ContentOpener content = nullptr);
  // Convenience for generated files, directories and links: owner 0:0 (or options.owner),
  // mtime = the timestamp.
  Status AddFile(const std::string& dest, std::string content, uint32_t mode = 0644);
  Status AddDirectory(const std::string& dest, uint32_t mode = 0755);
  Status AddSymlink(const std::string& dest, const std::string& target);
  Status AddHardLink(const std::string& dest, const std::string& target);

  size_t size() const { return entries_.size(); }

  // Writes the layer blob to `out`.
  Result<LayerInfo> Build(ByteSink& out) const;
  // Writes only the uncompressed tar (what diff_id hashes) to `out`.
  Status WriteTar(ByteSink& out) const;

 private:
  struct Item {
    TarEntry entry;
    std::string disk_path;  // content from disk when non-empty
    ContentOpener content;  // otherwise from here
    uint64_t dev = 0, ino = 0;
    bool multi_link = false;
  };
  Status Put(Item item);
  Status AddParents(const std::string& name);
  Status AddTree(const std::string& disk_dir, const std::string& name);
  Status AddDiskPath(const std::string& disk_path, const std::string& name);
  TarEntry Generated(const std::string& name, EntryType type, uint32_t mode) const;

  LayerOptions options_;
  std::map<std::string, Item> entries_;  // by name: std::string orders bytes as unsigned
};

}  // namespace plinth::layer
