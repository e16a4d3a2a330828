#include "support/run.h"

#include <sys/wait.h>
#include <unistd.h>

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
  char outName[] = "/tmp/pd-out-XXXXXX";
  char errName[] = "/tmp/pd-err-XXXXXX";
  int o = mkstemp(outName), e = mkstemp(errName);
  close(o);
  close(e);
  std::string cmd = std::string(PD_BINARY) + " " + args + " >" + outName + " 2>" + errName;
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

std::string sharedImage(const std::string& name) {
  return std::string(PD_SHARED_IMAGES) + "/" + name;
}
std::string fixtureImage(const std::string& name) {
  return std::string(PD_FIXTURE_OUT) + "/" + name;
}
bool fileExists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace pd::testing
