// The generated --help of a FlagSet: an aligned, wrapped table of the flags.
#include <algorithm>

#include "base/flags.h"

namespace lcsi {

namespace {

constexpr size_t kLineWidth = 100;
// Joins the words of "(default: x)" and "[env X]" so that wrapping keeps each on one line.
constexpr char kUnbreakableSpace = '\x1f';

// "--name VALUE" of a flag's row.
std::string LeftColumn(const FlagSpec& spec) {
  std::string left = "--" + spec.name;
  if (spec.kind == FlagKind::kBool) return left;
  if (!spec.value_name.empty()) return left + " " + spec.value_name;
  return left + (spec.kind == FlagKind::kKeyValue ? " KEY=VALUE" : " VALUE");
}

// The help text with what the reader needs besides it: repeatable, required, default, env.
std::string RightColumn(const FlagSpec& spec) {
  std::string right = spec.help;
  if (spec.kind != FlagKind::kString && spec.kind != FlagKind::kBool) right += " (repeatable)";
  if (spec.required) right += " (required)";
  if (!spec.def.empty()) right += std::string(" (default:") + kUnbreakableSpace + spec.def + ")";
  if (!spec.env.empty()) right += std::string(" [env") + kUnbreakableSpace + spec.env + "]";
  return right;
}

}  // namespace

std::string FlagSet::Table(const std::vector<std::pair<std::string, std::string>>& extra) const {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const std::string& name : order_) {
    const FlagSpec& spec = flags_.at(name).spec;
    rows.emplace_back(LeftColumn(spec), RightColumn(spec));
  }
  rows.insert(rows.end(), extra.begin(), extra.end());
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  // The help column wraps at word boundaries, continuation lines aligned under it.
  const size_t indent = width + 4;
  const size_t room = kLineWidth > indent + 30 ? kLineWidth - indent : 30;
  std::string out;
  for (const auto& [left, right] : rows) {
    out += "  " + left + std::string(width - left.size() + 2, ' ');
    size_t start = 0;
    bool first = true;
    while (start < right.size()) {
      size_t end = right.size();
      if (end - start > room) {
        end = right.rfind(' ', start + room);
        if (end == std::string::npos || end <= start) end = start + room;
      }
      if (!first) out += std::string(indent, ' ');
      out += right.substr(start, end - start) + "\n";
      first = false;
      start = end;
      while (start < right.size() && right[start] == ' ') ++start;
    }
    if (first) out += "\n";
  }
  std::replace(out.begin(), out.end(), kUnbreakableSpace, ' ');
  return out;
}

std::string FlagSet::FlagTable() const { return Table({}); }

std::string FlagSet::Help() const {
  std::string usage = "Usage: " + program_ + " [flags]";
  if (positional_usage_) usage += " " + *positional_usage_;
  return usage + "\n\n" + summary_ + "\n\nFlags:\n" +
         Table({{"--help", "Print this help and exit."},
                {"--version", "Print the version and exit."}});
}

}  // namespace lcsi
