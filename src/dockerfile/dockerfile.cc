#include "dockerfile/dockerfile.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace pd {
namespace {

constexpr size_t kMaxBytes = 4u << 20;  // far above any real Dockerfile

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}
bool isComment(std::string_view line) {
  std::string_view t = trim(line);
  return !t.empty() && t[0] == '#';
}
std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` in a RUN/COPY/ADD line: delimiter and whether tabs are
// stripped. A `<<` inside quotes or followed by no word is no heredoc.
std::vector<std::pair<std::string, bool>> heredocsIn(std::string_view s) {
  std::vector<std::pair<std::string, bool>> out;
  char quote = 0;
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    if (c != '<' || s[i + 1] != '<') continue;
    if (s[i + 2] == '<') {  // a here-string (<<<word) is no heredoc
      i += 2;
      continue;
    }
    size_t j = i + 2;
    bool strip = j < s.size() && s[j] == '-';
    if (strip) ++j;
    char q = j < s.size() && (s[j] == '"' || s[j] == '\'') ? s[j] : 0;
    if (q) ++j;
    // The delimiter is the rest of the word (END-OF is one), or what the quotes hold.
    size_t k = j;
    if (q) {
      while (k < s.size() && s[k] != q) ++k;
      if (k >= s.size()) continue;
    } else {
      while (k < s.size() && !std::isspace(static_cast<unsigned char>(s[k])) &&
             std::string_view(";|&<>()").find(s[k]) == std::string_view::npos)
        ++k;
    }
    if (k == j) continue;
    out.emplace_back(std::string(s.substr(j, k - j)), strip);
    i = k;
  }
  return out;
}

}  // namespace

std::optional<std::string> Instruction::flag(std::string_view name) const {
  for (const auto& f : flags) {
    std::string_view v(f);
    if (v.size() < 2 + name.size() || v.substr(2, name.size()) != name) continue;
    v.remove_prefix(2 + name.size());
    if (v.empty()) return std::string();
    if (v[0] == '=') return std::string(v.substr(1));
  }
  return std::nullopt;
}

const Stage* Dockerfile::stage(std::string_view nameOrIndex) const {
  std::string n = lower(std::string(nameOrIndex));
  for (const auto& s : stages)
    if (!s.name.empty() && s.name == n) return &s;
  if (!n.empty() && n.size() < 6 &&
      std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    size_t i = std::stoul(n);
    if (i < stages.size()) return &stages[i];
  }
  return nullptr;
}

Dockerfile parseDockerfile(std::string_view text, std::string path) {
  if (text.size() > kMaxBytes) throw InputError(path, "Dockerfile larger than 4 MiB");
  if (text.find('\0') != std::string_view::npos)
    throw InputError(path, "not a Dockerfile (binary data)");
  Dockerfile df;
  df.path = std::move(path);

  std::vector<std::string_view> lines;
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    std::string_view l = text.substr(at, nl == std::string_view::npos ? text.size() - at : nl - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back(l);
    at = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  if (lines.size() == 0 || (lines.size() == 1 && lines[0].empty())) return df;
  // A UTF-8 byte order mark is ignored, as BuildKit does.
  if (lines[0].substr(0, 3) == "\xEF\xBB\xBF") lines[0].remove_prefix(3);

  size_t i = 0;
  // Parser directives: `# key=value` lines at the very top; the first other line ends them.
  for (; i < lines.size(); ++i) {
    std::string_view l = trim(lines[i]);
    if (l.empty() || l[0] != '#') break;
    l = trim(l.substr(1));
    size_t eq = l.find('=');
    if (eq == std::string_view::npos) break;
    std::string key = lower(std::string(trim(l.substr(0, eq))));
    std::string value(trim(l.substr(eq + 1)));
    if (key == "escape" && (value == "`" || value == "\\")) {
      df.escape = value[0];
    } else if (key == "syntax") {
      df.syntax = value;
    } else if (key != "check") {
      break;
    }
  }

  const char esc = df.escape;
  auto continues = [&](std::string_view l) {
    l = trim(l);
    return !l.empty() && l.back() == esc;
  };
  while (i < lines.size()) {
    if (trim(lines[i]).empty() || isComment(lines[i])) {
      ++i;
      continue;
    }
    Instruction ins;
    ins.line = static_cast<int>(i) + 1;
    std::string logical;
    size_t j = i;
    for (;;) {
      std::string_view l = lines[j];
      bool more = continues(l);
      if (more) {
        l = trim(l);
        l.remove_suffix(1);
      }
      logical += l;
      if (!more) break;
      // Comment and empty lines inside a continuation are dropped, as BuildKit does.
      do ++j;
      while (j < lines.size() && (trim(lines[j]).empty() || isComment(lines[j])));
      if (j >= lines.size()) {
        --j;
        break;
      }
    }
    std::string_view rest = trim(logical);
    size_t kw = 0;
    while (kw < rest.size() && !std::isspace(static_cast<unsigned char>(rest[kw]))) ++kw;
    ins.keyword = upper(std::string(rest.substr(0, kw)));
    rest = trim(rest.substr(kw));

    if (ins.keyword == "RUN" || ins.keyword == "COPY" || ins.keyword == "ADD") {
      for (const auto& [name, strip] : heredocsIn(rest)) {
        Heredoc h{name, {}};
        while (++j < lines.size()) {
          std::string_view b = lines[j];
          std::string_view cmp = b;
          if (strip)
            while (!cmp.empty() && cmp.front() == '\t') cmp.remove_prefix(1);
          if (cmp == name) break;
          h.body.append(strip ? cmp : b);
          h.body += '\n';
        }
        if (j >= lines.size()) j = lines.size() - 1;
        ins.heredocs.push_back(std::move(h));
      }
    }
    while (rest.size() > 2 && rest.substr(0, 2) == "--" &&
           !std::isspace(static_cast<unsigned char>(rest[2]))) {
      size_t e = 0;
      while (e < rest.size() && !std::isspace(static_cast<unsigned char>(rest[e]))) ++e;
      ins.flags.emplace_back(rest.substr(0, e));
      rest = trim(rest.substr(e));
    }
    ins.rest = std::string(rest);
    if (!rest.empty() && rest[0] == '[') {
      nlohmann::json a = nlohmann::json::parse(rest, nullptr, false);
      if (a.is_array() && std::all_of(a.begin(), a.end(), [](auto& v) { return v.is_string(); })) {
        ins.json = true;
        for (auto& v : a) ins.args.push_back(v.template get<std::string>());
      }
    }
    if (!ins.json) ins.args = words(rest);
    ins.endLine = static_cast<int>(j) + 1;
    for (size_t k = i; k <= j; ++k) {
      if (k > i) ins.text += '\n';
      ins.text += lines[k];
    }

    if (ins.keyword == "FROM") {
      Stage s;
      s.index = static_cast<int>(df.stages.size());
      s.base = ins.args.empty() ? "" : ins.args[0];
      if (ins.args.size() >= 3 && upper(ins.args[1]) == "AS") s.name = lower(ins.args[2]);
      s.from = df.instructions.size();
      df.stages.push_back(s);
    }
    ins.stage = static_cast<int>(df.stages.size()) - 1;
    df.instructions.push_back(std::move(ins));
    if (!df.stages.empty()) df.stages.back().end = df.instructions.size();
    i = j + 1;
  }
  return df;
}

std::optional<std::string> substitute(std::string_view w, const VarLookup& lookup, char escape) {
  std::string out;
  auto nameChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i < w.size();) {
    char c = w[i];
    if (c == escape && i + 1 < w.size()) {
      // An escaped `$` is literal; any other escape is kept for the next stage (a shell).
      if (w[i + 1] != '$') out += c;
      out += w[i + 1];
      i += 2;
      continue;
    }
    if (c != '$' || i + 1 >= w.size()) {
      out += c;
      ++i;
      continue;
    }
    if (w[i + 1] == '{') {
      size_t close = w.find('}', i + 2);
      if (close == std::string_view::npos) return std::nullopt;
      std::string_view inner = w.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && nameChar(inner[n])) ++n;
      if (n == 0) return std::nullopt;
      std::string name(inner.substr(0, n));
      std::string_view op = inner.substr(n);
      std::optional<std::string> v = lookup(name);
      if (op.empty()) {
        out += v.value_or("");
      } else if (op.substr(0, 2) == ":-" || op.substr(0, 2) == ":+" || op[0] == '-' ||
                 op[0] == '+') {
        bool colon = op[0] == ':';
        char kind = op[colon ? 1 : 0];
        std::string_view word = op.substr(colon ? 2 : 1);
        if (word.find('$') != std::string_view::npos) return std::nullopt;
        bool set = v && (!colon || !v->empty());
        if (kind == '-') out += set ? *v : std::string(word);
        if (kind == '+') out += set ? std::string(word) : "";
      } else {
        return std::nullopt;  // ${x#pattern}, ${x/a/b}...: not guessed
      }
      i = close + 1;
      continue;
    }
    size_t n = i + 1;
    while (n < w.size() && nameChar(w[n])) ++n;
    if (n == i + 1) {
      out += c;
      ++i;
      continue;
    }
    out += lookup(std::string(w.substr(i + 1, n - i - 1))).value_or("");
    i = n;
  }
  return out;
}

}  // namespace pd
