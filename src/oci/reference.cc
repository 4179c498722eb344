#include "oci/reference.h"

#include <cctype>

namespace plinth::oci {
namespace {

constexpr std::string_view kDockerHub = "docker.io";

bool IsAlnumLower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool ValidComponent(std::string_view c) {
  if (c.empty() || !IsAlnumLower(c.front()) || !IsAlnumLower(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (IsAlnumLower(ch)) continue;
    if (ch == '.' || ch == '_') {
      // separators: '.', '_', '__' between alphanumerics
      if (ch == '_' && i + 1 < c.size() && c[i + 1] == '_') ++i;
      if (!IsAlnumLower(c[i + 1])) return false;
      continue;
    }
    if (ch == '-') {
      while (i + 1 < c.size() && c[i + 1] == '-') ++i;
      if (!IsAlnumLower(c[i + 1])) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t[0])) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

bool ValidDomain(std::string_view d) {
  if (d.empty()) return false;
  std::string_view host = d;
  if (d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos) return false;
    host = d.substr(0, close + 1);
    std::string_view rest = d.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':' || rest.size() == 1) return false;
      for (char c : rest.substr(1))
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  size_t colon = d.rfind(':');
  if (colon != std::string_view::npos) {
    host = d.substr(0, colon);
    std::string_view port = d.substr(colon + 1);
    if (port.empty()) return false;
    for (char c : port)
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  if (host.empty()) return false;
  for (char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  return true;
}

Error Bad(std::string_view text, const std::string& why) {
  return InvalidInput("invalid image reference '" + std::string(text) + "': " + why);
}

}  // namespace

Result<Reference> Reference::Parse(std::string_view text) {
  if (text.empty()) return Bad(text, "empty");
  if (text.size() > 4096) return Bad(text.substr(0, 64), "too long");
  Reference ref;
  std::string_view rest = text;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    auto digest = Digest::Parse(rest.substr(at + 1));
    if (!digest) return Bad(text, digest.error().message());
    ref.digest_ = *digest;
    rest = rest.substr(0, at);
  }
  size_t last_slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (last_slash == std::string_view::npos || colon > last_slash)) {
    ref.tag_ = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!ValidTag(ref.tag_)) return Bad(text, "tag '" + ref.tag_ + "' is not valid");
  }
  std::string_view name = rest;
  size_t first_slash = name.find('/');
  std::string_view first = name.substr(0, first_slash);
  if (first_slash != std::string_view::npos &&
      (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
       first == "localhost" || (!first.empty() && first.front() == '['))) {
    if (!ValidDomain(first)) return Bad(text, "registry host '" + std::string(first) + "' is not valid");
    ref.domain_ = std::string(first);
    name = name.substr(first_slash + 1);
  } else {
    ref.domain_ = std::string(kDockerHub);
  }
  if (ref.domain_ == "index.docker.io" || ref.domain_ == "registry-1.docker.io")
    ref.domain_ = std::string(kDockerHub);
  if (name.empty()) return Bad(text, "no repository name");
  for (size_t i = 0; i <= name.size();) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view component = name.substr(i, j - i);
    if (!ValidComponent(component)) {
      for (char c : component)
        if (std::isupper(static_cast<unsigned char>(c)))
          return Bad(text, "repository name must be lowercase");
      return Bad(text, "repository component '" + std::string(component) + "' is not valid");
    }
    i = j + 1;
  }
  ref.path_ = std::string(name);
  if (ref.domain_ == kDockerHub && ref.path_.find('/') == std::string::npos)
    ref.path_ = "library/" + ref.path_;
  if (ref.tag_.empty() && ref.digest_.empty()) ref.tag_ = "latest";
  if (ref.Name().size() > 255) return Bad(text, "repository name longer than 255 characters");
  return ref;
}

std::string Reference::str() const {
  std::string out = Name();
  if (!tag_.empty()) out += ":" + tag_;
  if (!digest_.empty()) out += "@" + digest_.str();
  return out;
}

std::string Reference::FamiliarName() const {
  if (domain_ != kDockerHub) return Name();
  // A first component that reads as a host keeps the domain: "liker.ibe/x" would name
  // another registry when parsed again.
  if (size_t slash = path_.find('/'); slash != std::string::npos) {
    std::string_view first = std::string_view(path_).substr(0, slash);
    if (first.find('.') != std::string_view::npos || first == "localhost") return Name();
  }
  if (path_.rfind("library/", 0) == 0 && path_.find('/', 8) == std::string::npos)
    return path_.substr(8);
  return path_;
}

std::string Reference::Familiar() const {
  std::string out = FamiliarName();
  if (!tag_.empty()) out += ":" + tag_;
  if (!digest_.empty()) out += "@" + digest_.str();
  return out;
}

Reference Reference::WithTag(std::string tag) const {
  Reference r = *this;
  r.tag_ = std::move(tag);
  r.digest_ = Digest();
  return r;
}

Reference Reference::WithDigest(Digest digest) const {
  Reference r = *this;
  r.digest_ = std::move(digest);
  return r;
}

}  // namespace plinth::oci
