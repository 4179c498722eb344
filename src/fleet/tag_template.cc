#include "fleet/tag_template.h"

namespace plinth::fleet {
namespace {

constexpr std::string_view kNames[] = {"registry", "namespace", "name", "os",
                                       "arch",     "variant",   "platform", "tag"};

}  // namespace

Result<std::vector<std::string>> TemplatePlaceholders(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') return InvalidInput("unmatched '}' in image template \"" + std::string(text) + "\"");
    if (text[i] != '{') continue;
    size_t close = text.find('}', i);
    if (close == std::string_view::npos)
      return InvalidInput("unclosed '{' in image template \"" + std::string(text) + "\"");
    std::string name(text.substr(i + 1, close - i - 1));
    bool known = false;
    for (auto k : kNames) known = known || k == name;
    if (!known)
      return InvalidInput("unknown placeholder {" + name + "} in image template \"" +
                          std::string(text) +
                          "\" (known: registry, namespace, name, os, arch, variant, platform, tag)");
    out.push_back(name);
    i = close;
  }
  return out;
}

std::string PlatformFreeTemplate(std::string_view text) {
  auto separator = [](char c) { return c == '-' || c == '_' || c == '.'; };
  std::string out(text);
  for (std::string_view placeholder : {"{platform}", "{arch}", "{variant}"}) {
    for (size_t at; (at = out.find(placeholder)) != std::string::npos;) {
      size_t begin = at, end = at + placeholder.size();
      if (begin > 0 && separator(out[begin - 1])) --begin;
      else if (end < out.size() && separator(out[end])) ++end;
      out.erase(begin, end - begin);
    }
  }
  if (!out.empty() && out.back() == ':') out.pop_back();
  return out;
}

Result<std::string> ExpandTemplate(std::string_view text, const TemplateValues& v) {
  PLINTH_TRY(auto names, TemplatePlaceholders(text));
  (void)names;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i);
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (name == "registry") out += v.registry;
    else if (name == "namespace") out += v.name_space;
    else if (name == "name") out += v.name;
    else if (name == "os") out += v.os;
    else if (name == "arch") out += v.arch;
    else if (name == "variant") out += v.variant;
    else if (name == "tag") out += v.tag;
    else if (name == "platform") out += v.os + "-" + v.arch + (v.variant.empty() ? "" : "-" + v.variant);
    i = close;
  }
  return out;
}

}  // namespace plinth::fleet
