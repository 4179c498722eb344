#include "debian/recording_sink_support.h"

namespace plinth::debian::testing {

Status RecordingSink::Add(const TarEntry& entry, ByteSource* content) {
  Item item{entry, ""};
  if (content) {
    StringSink sink;
    PLINTH_CHECK(CopyStream(*content, sink));
    item.data = sink.str();
    if (item.data.size() != entry.size) return Internal("size mismatch for " + entry.path);
  }
  if (by_path_.count(entry.path)) return Internal("duplicate entry " + entry.path);
  by_path_[entry.path] = items_.size();
  items_.push_back(std::move(item));
  return Ok{};
}

const RecordingSink::Item* RecordingSink::Find(const std::string& path) const {
  auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : &items_[it->second];
}

}  // namespace plinth::debian::testing
