#include "fix/unified_diff.h"

#include <algorithm>
#include <vector>

namespace pd {
namespace {

constexpr size_t kContext = 3;

struct Lines {
  std::vector<std::string_view> lines;
  bool finalNewline = true;
};

Lines split(std::string_view s) {
  Lines l;
  size_t at = 0;
  while (at < s.size()) {
    size_t nl = s.find('\n', at);
    if (nl == std::string_view::npos) {
      l.lines.push_back(s.substr(at));
      l.finalNewline = false;
      break;
    }
    l.lines.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return l;
}

enum class Op { Keep, Del, Add };

// The edit script by longest common subsequence: Dockerfiles are small, and a quadratic table
// of a few thousand lines is cheap. Beyond that, everything is replaced (still a correct diff).
std::vector<std::pair<Op, size_t>> script(const std::vector<std::string>& a,
                                          const std::vector<std::string>& b) {
  std::vector<std::pair<Op, size_t>> out;
  size_t n = a.size(), m = b.size();
  if (n * m > 16'000'000) {
    for (size_t i = 0; i < n; ++i) out.push_back({Op::Del, i});
    for (size_t j = 0; j < m; ++j) out.push_back({Op::Add, j});
    return out;
  }
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({Op::Keep, i++});
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back({Op::Del, i++});  // deletions first, as diff -u writes a change
    } else {
      out.push_back({Op::Add, j++});
    }
  }
  return out;
}

}  // namespace

std::string unifiedDiff(std::string_view before, std::string_view after, const std::string& path) {
  if (before == after) return "";
  Lines a = split(before), b = split(after);
  // A last line without its newline differs from the same line with one, as diff -u has it.
  auto keys = [](const Lines& l) {
    std::vector<std::string> k(l.lines.begin(), l.lines.end());
    if (!l.finalNewline && !k.empty()) k.back() += '\0';
    return k;
  };
  auto ops = script(keys(a), keys(b));
  // Line numbers (0-based) in a and b at each op.
  std::vector<size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t k = 0, x = 0, y = 0; k <= ops.size(); ++k) {
    ai[k] = x;
    bi[k] = y;
    if (k == ops.size()) break;
    if (ops[k].first != Op::Add) ++x;
    if (ops[k].first != Op::Del) ++y;
  }
  std::string out = "--- " + path + "\n+++ " + path + "\n";
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k].first == Op::Keep) ++k;
    if (k == ops.size()) break;
    size_t start = k >= kContext ? k - kContext : 0;
    // Extend the hunk while the next change is within 2 * context lines.
    size_t end = k;
    for (;;) {
      while (end < ops.size() && ops[end].first != Op::Keep) ++end;
      size_t keep = end;
      while (keep < ops.size() && ops[keep].first == Op::Keep) ++keep;
      if (keep < ops.size() && keep - end <= 2 * kContext) {
        end = keep;
        continue;
      }
      end = std::min(ops.size(), end + kContext);
      break;
    }
    size_t aLen = ai[end] - ai[start], bLen = bi[end] - bi[start];
    auto range = [](size_t from, size_t len) {
      // An empty range names the line before it, as diff -u does.
      return std::to_string(len == 0 ? from : from + 1) +
             (len == 1 ? "" : "," + std::to_string(len));
    };
    out += "@@ -" + range(ai[start], aLen) + " +" + range(bi[start], bLen) + " @@\n";
    for (size_t x = start; x < end; ++x) {
      auto [op, idx] = ops[x];
      const Lines& src = op == Op::Add ? b : a;
      out += op == Op::Keep ? ' ' : op == Op::Del ? '-' : '+';
      out.append(src.lines[idx]);
      out += '\n';
      if (idx + 1 == src.lines.size() && !src.finalNewline) out += "\\ No newline at end of file\n";
    }
    k = end;
  }
  return out;
}

}  // namespace pd
