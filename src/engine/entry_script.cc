#include "engine/entry_script.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "fs/path.h"

namespace pd {
namespace {

constexpr size_t kMaxLines = 4000;  // longer scripts are not followed
constexpr int kMaxReexec = 2;       // `exec gosu user "$0" "$@"` runs the script again

// One shell word: its source text and, when it holds no expansion, its value.
struct Word {
  std::string raw;
  std::string text;  // quotes removed (meaningful only when !expands)
  bool expands = false;
  bool op = false;  // ; && || | & ( ) { }
};

struct Line {
  int number = 0;
  std::vector<Word> words;
};

// Splits the script into simple commands (`;` and newlines end one), with quote removal. A
// heredoc's body is skipped. `$(...)` and backquotes stay inside their word.
std::vector<Line> lex(std::string_view s) {
  std::vector<Line> out;
  Line cur;
  Word w;
  bool inWord = false;
  int line = 1;
  std::vector<std::string> heredocs;  // delimiters waiting for the end of the line
  auto endWord = [&] {
    if (inWord) cur.words.push_back(std::move(w));
    w = Word{};
    inWord = false;
  };
  auto endLine = [&] {
    endWord();
    if (!cur.words.empty()) out.push_back(std::move(cur));
    cur = Line{};
    cur.number = line;
  };
  cur.number = line;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] == '\n') {
        ++line;
        i += 2;
        continue;
      }
      w.raw += s.substr(i, 2);
      w.text += s[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (c == '\n') {
      endLine();
      ++line;
      cur.number = line;
      ++i;
      // Skip the bodies of heredocs opened on the line that just ended.
      for (const auto& d : heredocs) {
        while (i < s.size()) {
          size_t e = s.find('\n', i);
          std::string_view l = s.substr(i, e == std::string_view::npos ? s.size() - i : e - i);
          i = e == std::string_view::npos ? s.size() : e + 1;
          ++line;
          while (!l.empty() && l.front() == '\t') l.remove_prefix(1);
          if (l == d) break;
        }
      }
      heredocs.clear();
      cur.number = line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      endWord();
      ++i;
      continue;
    }
    if (c == '#' && !inWord) {
      while (i < s.size() && s[i] != '\n') ++i;
      continue;
    }
    if (c == '\'') {
      size_t e = s.find('\'', i + 1);
      if (e == std::string_view::npos) e = s.size();
      w.raw += s.substr(i, e + 1 - i);
      w.text += s.substr(i + 1, e - i - 1);
      inWord = true;
      i = std::min(s.size(), e + 1);
      continue;
    }
    if (c == '"') {
      size_t j = i + 1;
      while (j < s.size() && s[j] != '"') {
        if (s[j] == '\\' && j + 1 < s.size()) {
          w.text += s[j + 1];
          j += 2;
          continue;
        }
        if (s[j] == '$' || s[j] == '`') w.expands = true;
        if (s[j] == '\n') ++line;
        w.text += s[j];
        ++j;
      }
      w.raw += s.substr(i, std::min(s.size(), j + 1) - i);
      inWord = true;
      i = std::min(s.size(), j + 1);
      continue;
    }
    if (c == '$' || c == '`') {
      // $(...), ${...}, `...`: kept whole in the word.
      size_t j = i + 1;
      if (c == '`') {
        j = s.find('`', i + 1);
        j = j == std::string_view::npos ? s.size() : j + 1;
      } else if (j < s.size() && (s[j] == '(' || s[j] == '{')) {
        char open = s[j], close = open == '(' ? ')' : '}';
        int depth = 0;
        for (; j < s.size(); ++j) {
          if (s[j] == open) ++depth;
          if (s[j] == close && --depth == 0) {
            ++j;
            break;
          }
        }
      } else {
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' ||
                                s[j] == '@' || s[j] == '#' || s[j] == '?' || s[j] == '*'))
          if (++j - i == 2 && !std::isalpha(static_cast<unsigned char>(s[j - 1])) &&
              s[j - 1] != '_')
            break;  // $1, $@, $#: one character
      }
      w.raw += s.substr(i, j - i);
      w.text += s.substr(i, j - i);
      w.expands = true;
      inWord = true;
      i = j;
      continue;
    }
    if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>') {
      if (c == '<' && i + 2 < s.size() && s[i + 1] == '<' && s[i + 2] != '<') {
        // A heredoc: its delimiter is the next word, quotes removed.
        size_t j = i + 2;
        if (j < s.size() && s[j] == '-') ++j;
        while (j < s.size() && (s[j] == ' ' || s[j] == '\t')) ++j;
        std::string d;
        while (j < s.size() && s[j] != '\n' && s[j] != ' ' && s[j] != ';' && s[j] != '>' &&
               s[j] != '|' && s[j] != '&') {
          if (s[j] != '\'' && s[j] != '"') d += s[j];
          ++j;
        }
        heredocs.push_back(d);
        endWord();
        cur.words.push_back({"<<" + d, "<<" + d, false, true});
        i = j;
        continue;
      }
      endWord();
      if (c == ';' && !(i + 1 < s.size() && s[i + 1] == ';')) {
        endLine();
        ++i;
        continue;
      }
      std::string op(1, c);
      if (i + 1 < s.size() && (s[i + 1] == c || (c == '>' && s[i + 1] == '&'))) op += s[++i];
      cur.words.push_back({op, op, false, true});
      ++i;
      continue;
    }
    w.raw += c;
    w.text += c;
    inWord = true;
    ++i;
  }
  endLine();
  return out;
}

bool isRedirection(const Word& w) {
  if (w.op) return w.raw[0] == '<' || w.raw[0] == '>';
  return !w.raw.empty() && std::isdigit(static_cast<unsigned char>(w.raw[0])) &&
         w.raw.size() <= 2 && !w.expands;
}

// $1 / "$1" / ${1} / "${1}" -> 1; $0 -> 0; "$@" / $@ / "${@}" -> -1; else nothing.
std::optional<int> positional(const std::string& raw) {
  std::string r = raw;
  if (r.size() >= 2 && r.front() == '"' && r.back() == '"') r = r.substr(1, r.size() - 2);
  if (r == "$@" || r == "${@}") return -1;
  if (r.size() == 2 && r[0] == '$' && std::isdigit(static_cast<unsigned char>(r[1])))
    return r[1] - '0';
  if (r.size() == 4 && r.rfind("${", 0) == 0 && r[3] == '}' &&
      std::isdigit(static_cast<unsigned char>(r[2])))
    return r[2] - '0';
  return std::nullopt;
}

class Follower {
 public:
  Follower(std::vector<Line> lines, ScriptStart start, int depth)
      : lines_(std::move(lines)),
        args_(std::move(start.args)),
        path_(std::move(start.path)),
        root_(start.root),
        depth_(depth) {}

  EntryScript run() {
    for (i_ = 0; i_ < lines_.size(); ++i_) {
      if (done_) break;
      statement(lines_[i_]);
    }
    if (!done_) {
      if (uncertain_ > 0) return unknown("the script ends inside a block it cannot follow");
      r_.outcome = EntryScript::Outcome::Exits;
    }
    return r_;
  }

 private:
  EntryScript unknown(std::string why) {
    EntryScript u;
    u.outcome = EntryScript::Outcome::Unknown;
    u.why = std::move(why);
    u.line = i_ < lines_.size() ? lines_[i_].number : 0;
    done_ = true;
    r_ = u;
    return u;
  }

  // The words of `w` once expanded, or nothing when one cannot be known.
  std::optional<std::vector<std::string>> expand(const std::vector<Word>& ws) const {
    std::vector<std::string> out;
    for (const Word& w : ws) {
      if (auto p = positional(w.raw)) {
        if (*p == -1) {
          out.insert(out.end(), args_.begin(), args_.end());
        } else if (*p == 0) {
          return std::nullopt;
        } else {
          out.push_back(static_cast<size_t>(*p) <= args_.size() ? args_[*p - 1] : "");
        }
        continue;
      }
      if (w.expands) return std::nullopt;
      out.push_back(w.text);
    }
    return out;
  }

  // One operand of a test, or nothing when unknown.
  std::optional<std::string> operand(const Word& w) const {
    if (auto p = positional(w.raw)) {
      if (*p <= 0) return std::nullopt;
      return static_cast<size_t>(*p) <= args_.size() ? args_[*p - 1] : "";
    }
    std::string r = w.raw;
    if (r.size() >= 2 && r.front() == '"' && r.back() == '"') r = r.substr(1, r.size() - 2);
    std::string first = args_.empty() ? "" : args_[0];
    if (r == "${1:0:1}") return first.substr(0, 1);
    // ${1#word} / ${1%word}: a literal prefix or suffix removed ("${1#-}", "${1%.conf}").
    if (r.size() > 5 && r.rfind("${1", 0) == 0 && (r[3] == '#' || r[3] == '%') && r.back() == '}') {
      std::string word = r.substr(4, r.size() - 5);
      if (word.empty() || word.find_first_of("*?[$#%") != std::string::npos) return std::nullopt;
      if (r[3] == '#') return first.rfind(word, 0) == 0 ? first.substr(word.size()) : first;
      return first.ends_with(word) ? first.substr(0, first.size() - word.size()) : first;
    }
    if (r == "$#" || r == "${#}") return std::to_string(args_.size());
    if (r == "$(id -u)" || r == "`id -u`") return root_ ? "0" : "non-root";
    if (w.expands) return std::nullopt;
    return w.text;
  }

  // A `[ ... ]` / `test ...` with one comparison: true, false or unknown.
  std::optional<bool> simpleTest(const std::vector<Word>& t) const {
    bool negate = false;
    size_t a = 0;
    while (a < t.size() && t[a].text == "!" && !t[a].expands) negate = !negate, ++a;
    std::vector<Word> x(t.begin() + a, t.end());
    std::optional<bool> v;
    if (x.size() == 2 && (x[0].text == "-z" || x[0].text == "-n")) {
      auto o = operand(x[1]);
      if (o) v = (x[0].text == "-z") == o->empty();
    } else if (x.size() == 3) {
      auto l = operand(x[0]), r = operand(x[2]);
      const std::string& op = x[1].text;
      if (l && r) {
        if (op == "=" || op == "==") v = *l == *r;
        if (op == "!=") v = *l != *r;
        bool numeric =
            op == "-eq" || op == "-ne" || op == "-gt" || op == "-lt" || op == "-ge" || op == "-le";
        if (numeric && !l->empty() && !r->empty() && std::all_of(l->begin(), l->end(), ::isdigit) &&
            std::all_of(r->begin(), r->end(), ::isdigit)) {
          long lv = std::stol(l->substr(0, 9)), rv = std::stol(r->substr(0, 9));
          v = op == "-eq"   ? lv == rv
              : op == "-ne" ? lv != rv
              : op == "-gt" ? lv > rv
              : op == "-lt" ? lv < rv
              : op == "-ge" ? lv >= rv
                            : lv <= rv;
        }
      }
    }
    if (v && negate) v = !*v;
    return v;
  }

  // The condition of `if`/`elif`: tests joined by && / || (and -a / -o inside brackets).
  std::optional<bool> condition(const std::vector<Word>& ws) const {
    std::optional<bool> acc;
    std::string join;  // the operator before the next test
    size_t k = 0;
    auto combine = [&](std::optional<bool> v) {
      if (join.empty()) {
        acc = v;
      } else if (join == "&&" || join == "-a") {
        if (acc && !*acc) return;  // false && x
        acc = (acc && v)   ? std::optional<bool>(*acc && *v)
              : (v && !*v) ? std::optional<bool>(false)
                           : std::nullopt;
      } else {
        if (acc && *acc) return;  // true || x
        acc = (acc && v)  ? std::optional<bool>(*acc || *v)
              : (v && *v) ? std::optional<bool>(true)
                          : std::nullopt;
      }
    };
    bool any = false;
    while (k < ws.size()) {
      const Word& w = ws[k];
      bool bracket = !w.expands && (w.text == "[" || w.text == "[[");
      bool testCmd = !w.expands && w.text == "test";
      if (!bracket && !testCmd) return std::nullopt;  // a command's status: unknown
      std::string close = w.text == "[[" ? "]]" : "]";
      std::vector<Word> t;
      size_t j = k + 1;
      for (; j < ws.size(); ++j) {
        if (bracket && !ws[j].expands && ws[j].text == close) break;
        if (ws[j].op) break;
        if (!ws[j].expands && (ws[j].text == "-a" || ws[j].text == "-o")) {
          combine(simpleTest(t));
          join = ws[j].text;
          t.clear();
          continue;
        }
        t.push_back(ws[j]);
      }
      if (bracket && (j >= ws.size() || ws[j].text != close)) return std::nullopt;
      combine(simpleTest(t));
      any = true;
      k = bracket ? j + 1 : j;
      if (k < ws.size()) {
        if (!ws[k].op || (ws[k].raw != "&&" && ws[k].raw != "||")) return std::nullopt;
        join = ws[k].raw;
        ++k;
      }
    }
    return any ? acc : std::nullopt;
  }

  // Commands that can change what the handed-over program is or may do.
  static bool changesFiles(const std::string& cmd) {
    static const char* const kCommands[] = {
        "chmod", "chown", "chgrp", "cp",   "mv",  "ln",    "rm",      "install", "tar", "unzip",
        "rsync", "curl",  "wget",  "find", "sed", "patch", "apt-get", "apk",     "pip", "npm"};
    std::string_view base = baseName(cmd);
    return std::any_of(std::begin(kCommands), std::end(kCommands),
                       [&](const char* c) { return base == c; });
  }

  // Whether the words can change the outcome: args, PATH, the program, the files.
  static bool effectful(const std::vector<Word>& ws) {
    for (size_t k = 0; k < ws.size(); ++k) {
      const Word& w = ws[k];
      if (w.expands || w.op) continue;
      if (w.text == "exec" || w.text == "shift" || w.text == "cd" || w.text == "." ||
          w.text == "source" || w.text == "exit" || changesFiles(w.text))
        return true;
      if (w.text == "set" && k + 1 < ws.size() && ws[k + 1].text == "--") return true;
      if (w.text.rfind("PATH=", 0) == 0) return true;
    }
    return false;
  }

  // Skips a block from line i_ (which opens it) to its matching closer; Unknown when any line
  // inside is effectful.
  bool skipBlock(const std::vector<std::string>& openers, const std::string& closer,
                 const char* what) {
    int depth = 0;
    bool opened = false;  // the opener may be on a later line ("f()" then "{")
    for (; i_ < lines_.size(); ++i_) {
      const auto& ws = lines_[i_].words;
      for (const Word& w : ws) {
        if (w.expands || w.op) continue;
        if (std::find(openers.begin(), openers.end(), w.text) != openers.end()) {
          ++depth;
          opened = true;
        }
        if (w.text == closer) --depth;
      }
      if (effectful(ws)) {
        unknown(std::string("a ") + what + " that changes the arguments, PATH or files");
        return false;
      }
      if (opened && depth <= 0) return true;
    }
    unknown(std::string("an unterminated ") + what);
    return false;
  }

  void statement(const Line& line) {
    std::vector<Word> ws = line.words;
    if (ws.empty()) return;
    const std::string head = ws[0].expands ? "" : ws[0].text;

    // Compound flow: if / elif / else / fi.
    if (head == "if" || head == "elif") {
      auto then = std::find_if(ws.begin(), ws.end(),
                               [](const Word& w) { return !w.expands && w.text == "then"; });
      std::vector<Word> cond(ws.begin() + 1, then);
      if (head == "if") {
        frames_.push_back({});
      } else if (frames_.empty()) {
        unknown("elif outside if");
        return;
      }
      Frame& f = frames_.back();
      std::optional<bool> v = f.taken ? std::optional<bool>(false) : condition(cond);
      if (head == "elif" && f.unknownTaken) v = std::nullopt;
      setBranch(f, v);
      // "if ...; then cmd; fi" on one line: the rest after then is its own statement(s).
      if (then != ws.end() && then + 1 != ws.end()) statement({line.number, {then + 1, ws.end()}});
      return;
    }
    if (head == "then") {
      if (ws.size() > 1) statement({line.number, {ws.begin() + 1, ws.end()}});
      return;
    }
    if (head == "else") {
      if (frames_.empty()) {
        unknown("else outside if");
        return;
      }
      Frame& f = frames_.back();
      std::optional<bool> v;
      if (!f.unknownTaken) v = !f.taken;
      setBranch(f, v);
      if (ws.size() > 1) statement({line.number, {ws.begin() + 1, ws.end()}});
      return;
    }
    if (head == "fi") {
      if (frames_.empty()) {
        unknown("fi outside if");
        return;
      }
      if (frames_.back().uncertainBranch) --uncertain_;
      frames_.pop_back();
      if (ws.size() > 1) statement({line.number, {ws.begin() + 1, ws.end()}});
      return;
    }
    if (skipping()) return;

    if (head == "case") {
      skipBlock({"case"}, "esac", "case block");
      return;
    }
    if (head == "for" || head == "while" || head == "until") {
      skipBlock({"for", "while", "until"}, "done", "loop");
      return;
    }
    if (head == "function" || (ws.size() >= 2 && ws[1].op && ws[1].raw == "(")) {
      // A function that changes nothing is harmless wherever it is called.
      skipBlock({"{"}, "}", "function");
      return;
    }

    // A line of several commands joined by && / || / |: only harmless ones are allowed.
    bool compound = std::any_of(ws.begin(), ws.end(), [](const Word& w) {
      return w.op && (w.raw == "&&" || w.raw == "||" || w.raw == "|" || w.raw == "&");
    });
    if (compound) {
      if (effectful(ws)) unknown("a command joined with && or || that changes the outcome");
      return;
    }
    if (uncertain_ > 0 && effectful(ws)) {
      unknown("a branch the script may or may not take changes the outcome");
      return;
    }

    // Leading assignments (PATH=... / export PATH=...).
    size_t k = 0;
    bool exported = head == "export" || head == "readonly";
    if (exported) k = 1;
    for (; k < ws.size(); ++k) {
      const Word& w = ws[k];
      size_t eq = w.raw.find('=');
      bool assignment =
          eq != std::string::npos && eq > 0 && w.raw.find_first_of("\"'$") > eq && !w.op;
      if (!assignment) break;
      std::string name = w.raw.substr(0, eq);
      if (name == "PATH") {
        auto v = pathValue(w.raw.substr(eq + 1));
        if (!v) {
          unknown("PATH set to a value that cannot be known");
          return;
        }
        path_ = *v;
      }
    }
    if (k >= ws.size() || exported) return;
    std::vector<Word> cmd(ws.begin() + static_cast<long>(k), ws.end());
    const std::string name = cmd[0].expands ? "" : cmd[0].text;
    if (cmd[0].expands) {
      if (positional(cmd[0].raw) || cmd[0].raw.find('$') != std::string::npos) {
        unknown("a command whose name is only known at run time");
      }
      return;
    }
    if (name == "set") {
      if (cmd.size() >= 2 && !cmd[1].expands && cmd[1].text == "--") {
        auto v = expand({cmd.begin() + 2, cmd.end()});
        if (!v) {
          unknown("set -- with words only known at run time");
          return;
        }
        args_ = *v;
      }
      return;
    }
    if (name == "shift") {
      size_t n = 1;
      if (cmd.size() > 1) {
        if (cmd[1].expands || cmd[1].text.empty() ||
            !std::all_of(cmd[1].text.begin(), cmd[1].text.end(), ::isdigit)) {
          unknown("shift by a count only known at run time");
          return;
        }
        n = std::stoul(cmd[1].text.substr(0, 4));
      }
      args_.erase(args_.begin(), args_.begin() + static_cast<long>(std::min(n, args_.size())));
      return;
    }
    if (name == "cd") {
      cwdChanged_ = true;
      return;
    }
    if (name == "." || name == "source") {
      unknown("another script sourced");
      return;
    }
    if (name == "exit") {
      r_.outcome = EntryScript::Outcome::Exits;
      done_ = true;
      return;
    }
    if (changesFiles(name)) {
      unknown(name + " changes files the program may need");
      return;
    }
    if (name == "exec") doExec(line.number, {cmd.begin() + 1, cmd.end()});
  }

  // PATH=/opt/x/bin:$PATH: the old value substituted; any other expansion is unknown.
  std::optional<std::string> pathValue(std::string raw) const {
    if (raw.size() >= 2 && (raw.front() == '"' || raw.front() == '\'') && raw.back() == raw.front())
      raw = raw.substr(1, raw.size() - 2);
    for (const char* v : {"${PATH}", "$PATH"}) {
      size_t at;
      while ((at = raw.find(v)) != std::string::npos) raw.replace(at, std::string(v).size(), path_);
    }
    if (raw.find_first_of("$`\"'") != std::string::npos) return std::nullopt;
    return raw;
  }

  // The user su switches to and the words of the command it runs, or nothing (after unknown()).
  std::optional<std::pair<std::string, std::vector<Word>>> suCommand(const std::vector<Word>& ws) {
    auto fail = [&](std::string why) {
      unknown(std::move(why));
      return std::nullopt;
    };
    std::string user, command;
    bool haveCommand = false;
    for (size_t k = 1; k < ws.size(); ++k) {
      const Word& w = ws[k];
      const std::string& t = w.text;
      auto value = [&](std::string& into) {
        if (k + 1 >= ws.size() || ws[k + 1].expands) return false;
        into = ws[++k].text;
        return true;
      };
      if (t == "-c" || t == "--command") {
        if (!value(command)) return fail("su -c with a command only known at run time");
        haveCommand = true;
      } else if (w.expands) {
        return fail("su with words only known at run time");
      } else if (t.rfind("--command=", 0) == 0) {
        command = t.substr(10), haveCommand = true;
      } else if (t == "-s" || t == "--shell") {
        std::string shell;
        if (!value(shell)) return fail("su -s with a shell only known at run time");
      } else if (t.rfind("--shell=", 0) == 0 || t == "-m" || t == "-p" ||
                 t == "--preserve-environment") {
      } else if (t == "-" || t == "-l" || t == "--login") {
        return fail("su --login starts in the user's home");
      } else if (!t.empty() && t[0] == '-') {
        return fail("su " + t);
      } else if (user.empty()) {
        user = t;
      } else {
        return fail("su with arguments for the shell");
      }
    }
    if (!haveCommand) return fail("su without -c starts a shell");
    std::vector<Line> inner = lex(command);
    if (inner.size() != 1) return fail("su -c with more than one command");
    std::vector<Word> words = std::move(inner[0].words);
    for (const Word& w : words)
      if (w.expands || w.op) return fail("su -c with a command it cannot follow");
    if (!words.empty() && words[0].text == "exec") words.erase(words.begin());
    return std::make_pair(user.empty() ? std::string("root") : user, std::move(words));
  }

  void doExec(int lineNo, std::vector<Word> all) {
    // Redirections and their targets go: `exec >log 2>&1` only redirects.
    std::vector<Word> ws;
    for (size_t k = 0; k < all.size(); ++k) {
      bool fd = k + 1 < all.size() && isRedirection(all[k]) && !all[k].op && all[k + 1].op;
      if (fd) continue;  // the 2 of 2>&1
      if (all[k].op && (all[k].raw[0] == '<' || all[k].raw[0] == '>')) {
        ++k;  // and its target
        continue;
      }
      ws.push_back(all[k]);
    }
    if (ws.empty()) return;
    std::string tool, user;
    std::string_view base = ws[0].expands ? "" : baseName(ws[0].text);
    size_t k = 0;
    if (base == "gosu" || base == "su-exec") {
      if (ws.size() < 3) return (void)unknown(std::string(base) + " without a command");
      tool = base;
      user = ws[1].expands ? "" : ws[1].text;
      k = 2;
    } else if (base == "setpriv") {
      tool = "setpriv";
      for (k = 1; k < ws.size() && !ws[k].expands && ws[k].text.rfind('-', 0) == 0; ++k) {
        const std::string& o = ws[k].text;
        if (o.rfind("--reuid=", 0) == 0) user = o.substr(8) + user;
        if (o.rfind("--regid=", 0) == 0) user += ":" + o.substr(8);
        if ((o == "--reuid" || o == "--regid") && k + 1 < ws.size()) {
          user = o == "--reuid" ? ws[k + 1].text + user : user + ":" + ws[k + 1].text;
          ++k;
        }
      }
    } else if (base == "runuser") {
      tool = "runuser";
      for (k = 1; k < ws.size() && !ws[k].expands && ws[k].text.rfind('-', 0) == 0; ++k) {
        if (ws[k].text == "--") {
          ++k;
          break;
        }
        if (ws[k].text == "-u" && k + 1 < ws.size()) user = ws[++k].text;
      }
    } else if (base == "su") {
      // su [options] [user] -c 'command': the user's shell runs the command. Only a command of
      // plain words is followed; a login shell (-, -l) starts in the user's home.
      tool = "su";
      auto su = suCommand(ws);
      if (!su) return;  // unknown() said why
      user = su->first;
      ws = std::move(su->second);
      k = 0;
      if (ws.empty()) return (void)unknown("su -c without a command");
    } else if (base == "chroot") {
      tool = "chroot";
      for (k = 1; k < ws.size() && !ws[k].expands && ws[k].text.rfind("--", 0) == 0; ++k)
        if (ws[k].text.rfind("--userspec=", 0) == 0) user = ws[k].text.substr(11);
      if (k >= ws.size() || ws[k].expands || cleanPath(ws[k].text) != "/")
        return (void)unknown("chroot into another root");
      ++k;
    }
    if (!tool.empty()) {
      if (user.empty()) return (void)unknown(tool + " with a user only known at run time");
      r_.switchTool = tool;
      r_.switchUser = user;
      r_.switchLine = lineNo;
    }
    std::vector<Word> rest(ws.begin() + static_cast<long>(k), ws.end());
    if (rest.empty()) return (void)unknown("exec without a program");
    if (auto p = positional(rest[0].raw); p && *p == 0) {
      // exec gosu user "$0" "$@": the script again, now as that user.
      if (tool.empty() || depth_ >= kMaxReexec) return (void)unknown("the script execs itself");
      auto v = expand({rest.begin() + 1, rest.end()});
      if (!v) return (void)unknown("exec with words only known at run time");
      Follower again(lines_, {*v, path_, false}, depth_ + 1);
      EntryScript e = again.run();
      if (e.switchTool.empty()) {
        e.switchTool = r_.switchTool;
        e.switchUser = r_.switchUser;
        e.switchLine = r_.switchLine;
      }
      r_ = e;
      done_ = true;
      return;
    }
    auto v = expand(rest);
    if (!v) return (void)unknown("exec with words only known at run time");
    if (v->empty()) return;  // exec "$@" with no arguments: nothing happens
    // After cd, relative names (the program's, or a script it is told to run) mean another
    // place than WORKDIR: not followed.
    if (cwdChanged_) return (void)unknown("an exec after cd");
    r_.outcome = EntryScript::Outcome::Execs;
    r_.argv = std::move(*v);
    r_.path = path_;
    r_.line = lineNo;
    done_ = true;
  }

  struct Frame {
    bool taken = false;         // a branch of this if was taken for sure
    bool unknownTaken = false;  // a branch with an unknown condition came before
    bool active = false;        // the current branch runs for sure
    bool uncertainBranch = false;
  };

  void setBranch(Frame& f, std::optional<bool> v) {
    if (f.uncertainBranch) --uncertain_;
    f.uncertainBranch = false;
    if (!v) {
      f.unknownTaken = true;
      f.active = true;
      f.uncertainBranch = true;
      ++uncertain_;
    } else {
      f.active = *v;
      if (*v) f.taken = true;
    }
  }

  bool skipping() const {
    return std::any_of(frames_.begin(), frames_.end(), [](const Frame& f) { return !f.active; });
  }

  std::vector<Line> lines_;
  std::vector<std::string> args_;
  std::string path_;
  bool root_;
  int depth_;
  size_t i_ = 0;
  bool done_ = false, cwdChanged_ = false;
  int uncertain_ = 0;
  std::vector<Frame> frames_;
  EntryScript r_;
};

}  // namespace

EntryScript followEntryScript(std::string_view text, const ScriptStart& start) {
  std::vector<Line> lines = lex(text);
  if (lines.size() > kMaxLines) {
    EntryScript e;
    e.why = "script too long to follow";
    return e;
  }
  return Follower(std::move(lines), start, 0).run();
}

}  // namespace pd
