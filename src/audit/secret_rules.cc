// Secrets: private keys and access key ids in the image's small text files (PA140, PA141), dotenv
// files (PA142), credential-looking variables set in the config's Env (PA143), and credentials
// that history's created_by lines show: build arguments and ENV values, keys (PA144). Also
// accounts of /etc/shadow with an empty password (PA145). Messages never repeat a value.
#include "audit/audit_context.h"
#include "audit/image_paths.h"
#include "audit/secret_patterns.h"

namespace plinth::audit {

void CheckSecrets(AuditContext& ctx) {
  const ImageFacts& facts = ctx.facts();
  for (const SecretHit& hit : facts.secrets) {
    if (hit.kind == SecretKind::kPrivateKey)
      ctx.Report(rules::kPrivateKey, hit.path,
                 "/" + hit.path + ":" + std::to_string(hit.line) + " holds a PEM private key");
    else
      ctx.Report(rules::kCloudAccessKey, hit.path,
                 "/" + hit.path + ":" + std::to_string(hit.line) +
                     " holds what looks like an AWS access key id (AKIA…)");
  }
  for (const auto& [path, f] : facts.files)
    if ((f.type == layer::EntryType::kRegular || f.type == layer::EntryType::kHardLink) &&
        IsDotEnvName(BaseName(path)))
      ctx.Report(rules::kEnvFile, path, "/" + path + " is a dotenv file");

  for (const std::string& kv : ctx.image().config.config.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string name = kv.substr(0, eq);
    std::string value = kv.substr(eq + 1);
    bool key_shaped = !FindSecrets(value).empty();
    if ((IsCredentialName(name) && !value.empty()) || key_shaped)
      ctx.Report(rules::kCredentialInEnv, "",
                 "Env sets " + name + " to a value" + (key_shaped ? " shaped like a key" : "") +
                     "; anyone who pulls the image reads it");
  }

  const auto& history = ctx.image().config.history;
  for (size_t i = 0; i < history.size(); ++i) {
    const std::string& line = history[i].created_by;
    std::string where = "history entry " + std::to_string(i + 1) + " (created_by)";
    for (const std::string& name : CredentialAssignments(line))
      ctx.Report(rules::kCredentialInHistory, "", where + " sets " + name + " to a value");
    for (const SecretMatch& m : FindSecrets(line))
      ctx.Report(rules::kCredentialInHistory, "",
                 where + (m.kind == SecretKind::kPrivateKey ? " holds a PEM private key"
                                                            : " holds an AWS access key id"));
  }

  auto shadow = facts.small_files.find("etc/shadow");
  if (shadow != facts.small_files.end()) {
    const std::string& text = shadow->second;
    size_t pos = 0;
    int line_no = 0;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      ++line_no;
      size_t c1 = line.find(':');
      if (c1 == std::string_view::npos) continue;
      size_t c2 = line.find(':', c1 + 1);
      std::string_view password =
          line.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1);
      if (password.empty())
        ctx.Report(rules::kEmptyPassword, "etc/shadow",
                   "/etc/shadow:" + std::to_string(line_no) + ": account \"" +
                       std::string(line.substr(0, c1)) + "\" has an empty password");
    }
  }
}

}  // namespace plinth::audit
