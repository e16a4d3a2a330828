#include "support/run.h"

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace pd::testing {

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

RunResult runPermdoctor(const std::string& args, const std::string& stdinFile) {
  return runShell(std::string(PD_BINARY) + " " + args, stdinFile);
}

RunResult runShell(const std::string& command, const std::string& stdinFile) {
  char outName[] = "/tmp/pd-out-XXXXXX";
  char errName[] = "/tmp/pd-err-XXXXXX";
  int o = mkstemp(outName), e = mkstemp(errName);
  close(o);
  close(e);
  std::string cmd = "(" + command + ") >" + outName + " 2>" + errName;
  cmd += stdinFile.empty() ? " </dev/null" : " <'" + stdinFile + "'";
  RunResult r;
  int st = std::system(cmd.c_str());
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.out = slurp(outName);
  r.err = slurp(errName);
  unlink(outName);
  unlink(errName);
  return r;
}

RunResult runPermdoctorOnTerminal(const std::string& args, const std::string& env) {
  RunResult r;
  int master = -1, slave = -1;
  if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0) return r;
  std::string cmd = "env -u NO_COLOR " + env + " " + PD_BINARY + " " + args + " </dev/null";
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    dup2(slave, 1);
    dup2(slave, 2);
    close(master);
    close(slave);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(slave);
  // Drain while the child runs, or it would block once the terminal's buffer is full; read()
  // fails with EIO when the last writer of the slave side has gone.
  char buf[4096];
  for (ssize_t n; (n = read(master, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0) r.out.append(buf, static_cast<size_t>(n));
  close(master);
  int st = 0;
  if (pid > 0 && waitpid(pid, &st, 0) == pid)
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

std::string thirdPartyImage(const std::string& name) {
  return std::string(PD_THIRD_PARTY_IMAGES) + "/" + name;
}
std::string fixtureImage(const std::string& name) {
  return std::string(PD_FIXTURE_OUT) + "/" + name;
}
bool fileExists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace pd::testing
