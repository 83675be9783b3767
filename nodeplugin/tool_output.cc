#include "nodeplugin/tool_output.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

#include "base/lines.h"

namespace lcsi::node {
namespace {

constexpr size_t kFirstStderrLines = 2;
constexpr size_t kMaxLineChars = 240;

// Lower-case fragments of lines that explain a failure.
constexpr std::array<std::string_view, 34> kReasonWords = {
    "error",      "fail",        "must",      "cannot",        "can't",        "could not",
    "couldn't",   "unable",      "invalid",   "too small",     "too large",    "too big",
    "not enough", "no space",    "denied",    "not permitted", "bad ",         "unknown",
    "illegal",    "refus",       "exceed",    "larger than",   "smaller than", "at least",
    "corrupt",    "inconsisten", "not found", "no such",       "busy",         "read-only",
    "unexpected", "manually",    "already",   " not "};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Non-empty trimmed lines up to a "Usage:" line.
std::vector<std::string> MeaningfulLines(const std::string& text) {
  std::vector<std::string> lines;
  Lines all(text);
  while (auto raw = all.Next()) {
    std::string_view line = Trim(*raw);
    if (line.empty()) continue;
    if (Lower(line.substr(0, 6)) == "usage:") break;
    lines.emplace_back(line);
  }
  return lines;
}

size_t CountNonBlankLines(const std::string& text) {
  size_t n = 0;
  Lines lines(text);
  while (auto line = lines.Next()) {
    if (!Trim(*line).empty()) ++n;
  }
  return n;
}

bool ReadsLikeAReason(const std::string& line) {
  const std::string lower = Lower(line);
  return std::any_of(kReasonWords.begin(), kReasonWords.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

std::string CapLine(const std::string& line, size_t max) {
  if (line.size() <= max) return line;
  return line.substr(0, max > 3 ? max - 3 : 0) + "...";
}

}  // namespace

std::string SummarizeToolOutput(const std::string& err, const std::string& out, size_t max_chars) {
  const std::vector<std::string> err_lines = MeaningfulLines(err);
  const std::vector<std::string> out_lines = MeaningfulLines(out);
  const size_t total_lines = CountNonBlankLines(err) + CountNonBlankLines(out);
  std::vector<std::string> kept;
  for (size_t i = 0; i < err_lines.size(); ++i) {
    if (i < kFirstStderrLines || ReadsLikeAReason(err_lines[i])) kept.push_back(err_lines[i]);
  }
  for (size_t i = 0; i < out_lines.size(); ++i) {
    // Without stderr, stdout's first lines stand in for it.
    bool lead = err_lines.empty() && i < kFirstStderrLines;
    if (lead || ReadsLikeAReason(out_lines[i])) kept.push_back(out_lines[i]);
  }
  if (kept.empty()) return total_lines == 0 ? "(no output)" : "(only usage text)";

  std::string text;
  size_t used = 0;
  for (const auto& line : kept) {
    const std::string piece = CapLine(line, kMaxLineChars);
    const size_t sep = text.empty() ? 0 : 3;
    if (text.size() + sep + piece.size() > max_chars) {
      const size_t room = max_chars > text.size() + sep ? max_chars - text.size() - sep : 0;
      if (room > 3) {
        text += (text.empty() ? "" : " | ") + CapLine(piece, room);
        ++used;
      }
      break;
    }
    text += (text.empty() ? "" : " | ") + piece;
    ++used;
  }
  // Usage text included: the reader learns that more was printed.
  const size_t dropped = total_lines > used ? total_lines - used : 0;
  if (dropped > 0) text += " (+" + std::to_string(dropped) + " more lines)";
  return text;
}

}  // namespace lcsi::node
