// RecordingSink: a RootfsSink that keeps what it is given (small test images only).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "debian/rootfs_sink.h"

namespace plinth::debian::testing {

class RecordingSink : public RootfsSink {
 public:
  struct Item {
    TarEntry entry;
    std::string data;
  };
  Status Add(const TarEntry& entry, ByteSource* content) override;
  const Item* Find(const std::string& path) const;
  const std::vector<Item>& items() const { return items_; }

 private:
  std::vector<Item> items_;
  std::map<std::string, size_t> by_path_;
};

}  // namespace plinth::debian::testing
