// The few file contents the rules need, captured while layers stream past and bounded in size:
// account databases in full, the head facts of executables (ELF machine, PT_INTERP, shebang), and
// small files whose names or first bytes suggest secrets.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace pd {

// What ld.so reads from an ELF file's dynamic section.
struct ElfDynamic {
  std::vector<std::string> needed;  // DT_NEEDED, in order
  std::string rpath, runpath;       // DT_RPATH, DT_RUNPATH; "" when absent
};

struct Captured {
  enum class Head : uint8_t { Other, Elf, Script };
  std::string bytes;      // content kept (whole file, or its head); may be empty
  bool complete = false;  // `bytes` is the whole file
  Head head = Head::Other;
  uint16_t elfMachine = 0;  // e_machine
  uint8_t elfClass = 0;     // 1 = 32-bit, 2 = 64-bit
  std::string interp;       // PT_INTERP for ELF; the shebang line after "#!" for scripts
  bool interpCr = false;    // the shebang line ended in "\r\n"
  // An ELF file's dynamic section as ld.so reads it (fs/elf_dynamic.h); null when the file has
  // none or it could not be read within the capture bounds: then nothing is known. Shared, so
  // that the many captures without one stay small and copies are cheap.
  std::shared_ptr<const ElfDynamic> dynamic;
};

// A "#!" line (Captured::interp) as Linux splits it: the interpreter, then everything after the
// blanks that follow it, trailing blanks trimmed, as ONE argument.
struct Shebang {
  std::string interp, arg;
};
Shebang splitShebang(std::string_view line);

// Globs over file names, compiled once: a glob without "/" matches the base name, a glob with
// "/" the path's tail (as "**/" + glob). Plain names are looked up in a hash set, "*.ext" and
// "name.*" become suffix and prefix tests, and only the rest run the general matcher. Matching
// allocates nothing.
class NameGlobs {
 public:
  NameGlobs() = default;
  explicit NameGlobs(const std::vector<std::string>& globs);
  bool matches(std::string_view path) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_set<std::string, Hash, std::equal_to<>> exactBase_;
  std::vector<std::string> baseSuffixes_, basePrefixes_, baseGlobs_;
  std::vector<std::string> pathTails_;  // literal globs with "/": "/" + glob ends the path
  std::vector<std::string> pathGlobs_;  // "**/" + glob
};

// Which contents to keep. Built by the engine from the rules' data tables, so the reader never
// has to know what a rule looks for.
class CapturePolicy {
 public:
  CapturePolicy() = default;
  // `wholeFiles`: image paths kept whole (/etc/passwd, /etc/ld.so.conf.d/*.conf: globMatch
  // patterns over the whole path); `secretNames`: NameGlobs of
  // secret candidates, kept whole when small; `scriptNames`: NameGlobs of entrypoint scripts
  // (*.sh, *entrypoint*), kept whole when small so that their hand-over can be followed.
  CapturePolicy(std::vector<std::string> wholeFiles, const std::vector<std::string>& secretNames,
                const std::vector<std::string>& scriptNames = {});

  int64_t maxWholeBytes = 1 << 20;    // cap for whole files
  int64_t maxSecretBytes = 64 << 10;  // secret candidates larger than this keep their head
  int64_t maxScriptBytes = 64 << 10;  // likewise for entrypoint script candidates
  size_t headBytes = 4096;            // bytes looked at for every regular file

  enum class Want { Nothing, Head, Whole };
  Want wants(std::string_view path, int64_t size) const;

 private:
  struct WholeFile {
    std::string pattern;
    size_t literal;  // length of the head before the first wildcard (npos: no wildcard)
  };
  std::vector<WholeFile> wholeFiles_;
  NameGlobs secretNames_;
  NameGlobs scriptNames_;
};

// Fills the head facts (ELF / script) from the first bytes of a file. Returns true when they
// are worth keeping. `needMore` is set to how many bytes would be needed when the ELF program
// headers lie beyond `head`.
bool parseHead(std::string_view head, Captured& out, size_t* needMore);

// True when the bytes hold a PEM private key marker.
bool looksLikePrivateKey(std::string_view bytes);

// ELF e_machine values and the config architecture they run on ("amd64", "arm64", ...).
const char* elfMachineArch(uint16_t machine, uint8_t elfClass);
// Debian's multiarch directory name for an ELF machine ("x86_64-linux-gnu"); nullptr if none.
const char* multiarchTriplet(uint16_t machine, uint8_t elfClass);
// An architecture name in Go's GOARCH spelling, which image configs, --platform and
// elfMachineArch() speak: the kernel's and distributions' names too ("x86_64", "aarch64",
// "i686"), in any case.
std::string goArch(std::string arch);

}  // namespace pd
