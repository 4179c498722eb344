// `plinth login REGISTRY -u USER --password-stdin` and `plinth logout REGISTRY`: check the
// credentials against the registry, then keep them where docker, podman and skopeo look
// ($REGISTRY_AUTH_FILE, else ~/.docker/config.json or its credential helper).
#include <iostream>
#include <iterator>

#include "cli/command.h"
#include "cli/registry_flags.h"
#include "registry/credential_store.h"
#include "registry/registry_context.h"

namespace plinth::cli {
namespace {

struct LoginArgs {
  std::string registry;
  std::string username;
  std::string password;
  bool password_stdin = false;
  RegistryFlags flags;
};

int Login(const LoginArgs& args) {
  if (args.username.empty())
    return ReportError(InvalidInput("login needs a username: plinth login " + args.registry +
                                    " -u USER --password-stdin"));
  std::string password = args.password;
  if (args.password_stdin) {
    password.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r'))
      password.pop_back();
  }
  if (password.empty())
    return ReportError(InvalidInput("login needs a password: pass it on standard input with "
                                    "--password-stdin"));
  std::string host = registry::CredentialStore::NormalizeKey(args.registry);
  registry::Credentials credentials{args.username, password};
  registry::RegistryContext registries(
      {}, [&](const std::string&) {
        return Result<std::optional<registry::Credentials>>(credentials);
      });
  ApplyRegistryFlags(args.flags, host, registries.hosts());
  if (auto ping = registries.Client(host).Ping(); !ping)
    return ReportError(ping.error().Context("logging in to " + host));
  auto saved = registry::CredentialStore::FromEnvironment().Save(host, credentials);
  if (!saved) return ReportError(saved.error());
  std::cout << "Login Succeeded\n";
  return 0;
}

int Logout(const std::string& registry) {
  auto erased = registry::CredentialStore::FromEnvironment().Erase(registry);
  if (!erased) return ReportError(erased.error());
  std::cout << "Removed login credentials for "
            << registry::CredentialStore::NormalizeKey(registry) << "\n";
  return 0;
}

void Setup(CLI::App& app, GlobalOptions& global) {
  auto* login = app.add_subcommand("login", "Log in to a registry");
  auto args = std::make_shared<LoginArgs>();
  login->add_option("REGISTRY", args->registry, "registry host[:port]")->required();
  login->add_option("-u,--username", args->username, "user name");
  login->add_option("-p,--password", args->password,
                    "password (visible to other users: prefer --password-stdin)");
  login->add_flag("--password-stdin", args->password_stdin, "read the password from stdin");
  AddRegistryFlags(login, args->flags, "this registry");
  login->callback([&global, args] { global.exit_code = Login(*args); });

  auto* logout = app.add_subcommand("logout", "Forget a registry's credentials");
  auto registry = std::make_shared<std::string>();
  logout->add_option("REGISTRY", *registry, "registry host[:port]")->required();
  logout->callback([&global, registry] { global.exit_code = Logout(*registry); });
}

const bool kRegistered = RegisterCommand(303, Setup);

}  // namespace
}  // namespace plinth::cli
