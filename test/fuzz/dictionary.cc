#include "test/fuzz/dictionary.h"

namespace lcsi::fuzz {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::vector<std::string>> ParseDictionary(std::string_view text) {
  std::vector<std::string> tokens;
  int line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    std::string where = "line " + std::to_string(line_number);
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line[first] == '#') continue;
    size_t open = line.find('"');
    size_t close = line.find_last_of('"');
    if (open == std::string_view::npos || close == open) {
      return InvalidArgument(where + ": expected a quoted token");
    }
    std::string token;
    for (size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\') {
        token.push_back(line[i]);
        continue;
      }
      if (i + 1 >= close) return InvalidArgument(where + ": dangling backslash");
      char next = line[++i];
      if (next == 'x') {
        if (i + 2 >= close || HexValue(line[i + 1]) < 0 || HexValue(line[i + 2]) < 0) {
          return InvalidArgument(where + ": bad \\x escape");
        }
        token.push_back(static_cast<char>(HexValue(line[i + 1]) * 16 + HexValue(line[i + 2])));
        i += 2;
      } else {
        token.push_back(next);  // \\ and \"
      }
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace lcsi::fuzz
