#include "nodeplugin/mountinfo.h"

#include <charconv>

#include "base/lines.h"
#include "base/parse_int.h"

namespace lcsi::node {
namespace {

bool IsOctal(char c) { return c >= '0' && c <= '7'; }

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    if (pos >= line.size()) break;
    size_t end = line.find(' ', pos);
    if (end == std::string_view::npos) end = line.size();
    fields.push_back(line.substr(pos, end - pos));
    pos = end;
  }
  return fields;
}

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  const std::optional<T> parsed = ParseInt<T>(text);
  if (parsed) out = *parsed;
  return parsed.has_value();
}

Result<MountEntry> ParseLine(std::string_view line) {
  auto fields = SplitSpaces(line);
  // 6 fixed fields, optional fields, "-", then fs type, source, super options.
  size_t separator = 0;
  for (size_t i = 6; i < fields.size(); ++i) {
    if (fields[i] == "-") {
      separator = i;
      break;
    }
  }
  if (separator == 0 || fields.size() < separator + 3) {
    return InvalidArgument(
        "expected 'id parent major:minor root mountpoint options ... - "
        "fstype source superoptions'");
  }
  MountEntry entry;
  if (!ParseNumber(fields[0], entry.mount_id) || !ParseNumber(fields[1], entry.parent_id)) {
    return InvalidArgument("bad mount id or parent id");
  }
  auto colon = fields[2].find(':');
  if (colon == std::string_view::npos || !ParseNumber(fields[2].substr(0, colon), entry.major) ||
      !ParseNumber(fields[2].substr(colon + 1), entry.minor)) {
    return InvalidArgument("bad major:minor '" + std::string(fields[2]) + "'");
  }
  entry.root = UnescapeMountField(fields[3]);
  entry.mount_point = UnescapeMountField(fields[4]);
  entry.mount_options = std::string(fields[5]);
  for (size_t i = 6; i < separator; ++i) entry.optional_fields.emplace_back(fields[i]);
  entry.fs_type = UnescapeMountField(fields[separator + 1]);
  entry.source = UnescapeMountField(fields[separator + 2]);
  if (separator + 3 < fields.size()) entry.super_options = std::string(fields[separator + 3]);
  return entry;
}

}  // namespace

bool HasOption(std::string_view options, std::string_view option) {
  size_t pos = 0;
  while (pos <= options.size()) {
    size_t end = options.find(',', pos);
    if (end == std::string_view::npos) end = options.size();
    if (options.substr(pos, end - pos) == option) return true;
    pos = end + 1;
  }
  return false;
}

bool MountEntry::ReadOnlyMount() const { return HasOption(mount_options, "ro"); }
bool MountEntry::ReadOnlySuperblock() const { return HasOption(super_options, "ro"); }

std::string UnescapeMountField(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && IsOctal(field[i + 1]) &&
        IsOctal(field[i + 2]) && IsOctal(field[i + 3])) {
      int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      out.push_back(static_cast<char>(value));
      i += 3;
    } else {
      out.push_back(field[i]);
    }
  }
  return out;
}

Result<std::vector<MountEntry>> ParseMountInfo(std::string_view text) {
  std::vector<MountEntry> entries;
  Lines lines(text);
  while (auto line = lines.Next()) {
    const int line_number = lines.number();
    if (line->find_first_not_of(' ') == std::string_view::npos) continue;
    auto entry = ParseLine(*line);
    if (!entry.ok()) {
      return entry.status().WithContext("mountinfo line " + std::to_string(line_number));
    }
    entries.push_back(std::move(entry).value());
  }
  return entries;
}

}  // namespace lcsi::node
