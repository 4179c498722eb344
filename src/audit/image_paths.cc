#include "audit/image_paths.h"

#include <deque>

namespace plinth::audit {
namespace {

constexpr int kMaxLinks = 40;

std::deque<std::string> Split(std::string_view path) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace

std::optional<ResolvedPath> ResolveImagePath(const ImageFacts& facts, std::string_view path,
                                             bool follow_last) {
  std::deque<std::string> todo = Split(path);
  std::vector<std::string> done;
  int links = 0;
  const FileFacts* last = nullptr;
  while (!todo.empty()) {
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      last = nullptr;
      continue;
    }
    done.push_back(part);
    std::string joined = Join(done);
    auto it = facts.files.find(joined);
    last = it == facts.files.end() ? nullptr : &it->second;
    bool is_last = todo.empty();
    if (!last) {
      if (is_last) return ResolvedPath{joined, nullptr};
      continue;  // a folder the layers imply
    }
    if (last->type == layer::EntryType::kSymlink && (!is_last || follow_last)) {
      if (++links > kMaxLinks) return std::nullopt;
      done.pop_back();
      std::deque<std::string> target = Split(last->link_target);
      if (!last->link_target.empty() && last->link_target[0] == '/') done.clear();
      todo.insert(todo.begin(), target.begin(), target.end());
      last = nullptr;
      if (todo.empty()) return ResolvedPath{Join(done), nullptr};
      continue;
    }
    if (!is_last && last->type != layer::EntryType::kDirectory) return std::nullopt;
  }
  std::string joined = Join(done);
  if (!last) {
    auto it = facts.files.find(joined);
    if (it != facts.files.end()) last = &it->second;
  }
  return ResolvedPath{joined, last};
}

bool IsExecutable(const ResolvedPath& resolved) {
  const FileFacts* f = resolved.file;
  if (!f) return false;
  if (f->type != layer::EntryType::kRegular && f->type != layer::EntryType::kHardLink) return false;
  return (f->mode & 0111) != 0;
}

std::string JoinImagePath(std::string_view dir, std::string_view name) {
  if (!name.empty() && name[0] == '/') dir = "";
  std::deque<std::string> parts = Split(dir);
  for (auto& p : Split(name)) parts.push_back(p);
  std::vector<std::string> done;
  for (auto& p : parts) {
    if (p == ".") continue;
    if (p == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    done.push_back(p);
  }
  return Join(done);
}

std::string ParentOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace plinth::audit
