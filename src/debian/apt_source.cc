#include "debian/apt_source.h"

#include <dirent.h>

#include <algorithm>
#include <sstream>

#include "debian/control_file.h"
#include "util/fs.h"

namespace plinth::debian {
namespace {

struct Entry {
  std::string uri;
  std::vector<std::string> suites;
};

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> Words(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

void ReadOneLine(const std::string& text, std::vector<Entry>* out) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    auto words = Words(line);
    if (words.size() < 3 || words[0] != "deb") continue;
    size_t i = 1;
    if (words[i].front() == '[') {
      while (i < words.size() && words[i].back() != ']') ++i;
      ++i;
    }
    if (i + 1 >= words.size()) continue;
    out->push_back({words[i], {words[i + 1]}});
  }
}

void ReadDeb822(const std::string& text, const std::string& file, std::vector<Entry>* out) {
  auto paragraphs = ParseControl(text, file);
  if (!paragraphs) return;
  for (const auto& p : *paragraphs) {
    auto types = Words(p.GetOr("Types"));
    if (std::find(types.begin(), types.end(), "deb") == types.end()) continue;
    if (p.GetOr("Enabled", "yes") == "no") continue;
    auto uris = Words(p.GetOr("URIs"));
    auto suites = Words(p.GetOr("Suites"));
    for (const auto& uri : uris) out->push_back({uri, suites});
  }
}

bool LooksLikeDebian(const std::string& uri) {
  std::string u = uri;
  while (!u.empty() && u.back() == '/') u.pop_back();
  return EndsWith(u, "/debian") || u.find("debian.org") != std::string::npos;
}

}  // namespace

std::string AptSource::ToLine(const std::string& arch, const std::string& keyring) const {
  std::string line = "deb [arch=" + arch + " signed-by=" + keyring + "] " + uri + " " + suite;
  for (const auto& c : components) line += " " + c;
  return line + "\n";
}

Result<SystemMirrors> FindSystemMirrors(const std::string& etc_apt) {
  std::vector<Entry> entries;
  if (auto text = ReadFile(etc_apt + "/sources.list"); text.ok()) ReadOneLine(*text, &entries);
  std::vector<std::string> names;
  if (DIR* d = opendir((etc_apt + "/sources.list.d").c_str())) {
    while (struct dirent* e = readdir(d)) names.push_back(e->d_name);
    closedir(d);
  }
  std::sort(names.begin(), names.end());  // apt reads them in this order too
  for (const auto& name : names) {
    std::string path = etc_apt + "/sources.list.d/" + name;
    if (EndsWith(name, ".list")) {
      if (auto text = ReadFile(path); text.ok()) ReadOneLine(*text, &entries);
    } else if (EndsWith(name, ".sources")) {
      if (auto text = ReadFile(path); text.ok()) ReadDeb822(*text, path, &entries);
    }
  }
  SystemMirrors mirrors;
  for (const auto& e : entries) {
    if (!LooksLikeDebian(e.uri) && e.uri.find("debian-security") == std::string::npos) continue;
    for (const auto& s : e.suites) {
      if (EndsWith(s, "-security") || EndsWith(s, "/updates")) {
        if (mirrors.security.empty()) mirrors.security = e.uri;
      } else if (mirrors.debian.empty() && e.uri.find("debian-security") == std::string::npos) {
        mirrors.debian = e.uri;
      }
    }
  }
  if (mirrors.debian.empty())
    return NotFound("finding the system's Debian mirror: no Debian 'deb' source in " + etc_apt +
                    "/sources.list or sources.list.d; give the recipe a 'mirror:'");
  return mirrors;
}

std::vector<AptSource> DefaultSources(const SystemMirrors& mirrors, const std::string& suite) {
  std::vector<AptSource> out;
  out.push_back({mirrors.debian, suite});
  out.push_back({mirrors.debian, suite + "-updates"});
  if (!mirrors.security.empty()) out.push_back({mirrors.security, suite + "-security"});
  return out;
}

}  // namespace plinth::debian
