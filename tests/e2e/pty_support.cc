#include "e2e/pty_support.h"

#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "support/plinth_runner.h"

namespace plinth::testing {

PtyResult RunInPty(const std::vector<std::string>& args, const std::string& cwd,
                   const std::map<std::string, std::string>& env) {
  std::string binary = PlinthBinary();
  std::vector<std::string> argv{binary};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  winsize ws{};
  ws.ws_row = 40;
  ws.ws_col = 120;
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, &ws);
  if (pid < 0) return {};
  if (pid == 0) {
    setenv("TERM", "xterm-256color", 1);
    unsetenv("NO_COLOR");
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execv(binary.c_str(), cargv.data());
    _exit(127);
  }
  PtyResult r;
  char buf[4096];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      r.out.append(buf, n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO once the child side is closed
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

}  // namespace plinth::testing
