#include "audit/secret_patterns.h"

#include <algorithm>
#include <cctype>

namespace plinth::audit {
namespace {

int LineAt(std::string_view text, size_t pos) {
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

bool IsKeyChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsBase64(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
}

// After a BEGIN line: optional "Key: value" headers (encrypted PEM), then base64 material.
bool KeyMaterialFollows(std::string_view rest) {
  size_t pos = 0;
  for (int lines = 0; lines < 4 && pos < rest.size(); ++lines) {
    size_t end = rest.find('\n', pos);
    std::string_view line =
        rest.substr(pos, end == std::string_view::npos ? rest.size() - pos : end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() >= 32 && std::all_of(line.begin(), line.end(), IsBase64)) return true;
    if (line.find(':') == std::string_view::npos && !line.empty()) return false;
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return false;
}

std::vector<std::string_view> Words(std::string_view name) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find_first_of("_-.", start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) words.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<SecretMatch> FindSecrets(std::string_view text) {
  std::vector<SecretMatch> out;
  constexpr std::string_view kKeyEnd = "PRIVATE KEY-----";
  for (size_t pos = text.find(kKeyEnd); pos != std::string_view::npos;
       pos = text.find(kKeyEnd, pos + 1)) {
    size_t line_start = text.rfind('\n', pos);
    line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::string_view line = text.substr(line_start, pos - line_start);
    size_t begin = line.find("-----BEGIN ");
    if (begin == std::string_view::npos) continue;
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) continue;
    if (!KeyMaterialFollows(text.substr(eol + 1))) continue;
    out.push_back({SecretKind::kPrivateKey, LineAt(text, pos)});
    break;  // one finding per file is enough
  }
  for (size_t pos = text.find("AKIA"); pos != std::string_view::npos;
       pos = text.find("AKIA", pos + 1)) {
    if (pos > 0 && IsWordChar(text[pos - 1])) continue;
    if (pos + 20 > text.size()) break;
    if (!std::all_of(text.begin() + pos + 4, text.begin() + pos + 20, IsKeyChar)) continue;
    if (pos + 20 < text.size() && IsWordChar(text[pos + 20])) continue;
    out.push_back({SecretKind::kAwsAccessKey, LineAt(text, pos)});
    break;
  }
  return out;
}

bool IsCredentialName(std::string_view name) {
  std::vector<std::string> words;
  for (auto w : Words(name)) words.push_back(Upper(w));
  bool credential = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "FILE" || w == "PATH" || w == "DIR") return false;
    if (w == "PASSWORD" || w == "PASSWD" || w == "SECRET" || w == "TOKEN" || w == "APIKEY" ||
        w == "CREDENTIALS" || w == "CREDENTIAL" || w == "PASSPHRASE")
      credential = true;
    if (i + 1 < words.size() && words[i + 1] == "KEY" &&
        (w == "API" || w == "ACCESS" || w == "PRIVATE" || w == "SECRET"))
      credential = true;
  }
  return credential;
}

std::vector<std::string> CredentialAssignments(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of(" \t\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = word.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view name = word.substr(0, eq), value = word.substr(eq + 1);
    if (!std::all_of(name.begin(), name.end(), IsWordChar)) continue;
    // Quotes around a value are not the value.
    while (!value.empty() && (value.front() == '"' || value.front() == '\''))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '"' || value.back() == '\'')) value.remove_suffix(1);
    if (value.empty() || value.front() == '$') continue;
    if (IsCredentialName(name)) out.emplace_back(name);
  }
  return out;
}

bool IsDotEnvName(std::string_view base) {
  if (base == ".env") return true;
  if (!base.starts_with(".env.")) return false;
  std::string_view suffix = base.substr(5);
  return suffix != "example" && suffix != "sample" && suffix != "template" && suffix != "dist";
}

}  // namespace plinth::audit
