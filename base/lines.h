// The one way to walk a text line by line: '\n' ends a line, a last line needs none, and an
// empty text has no lines.
#pragma once

#include <optional>
#include <string_view>

namespace lcsi {

class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}

  // The next line without its '\n' (a '\r' before it stays), or nullopt after the last one.
  std::optional<std::string_view> Next() {
    if (pos_ >= text_.size()) return std::nullopt;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++number_;
    return line;
  }
  // 1-based number of the line Next() returned last (0 before the first).
  int number() const { return number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int number_ = 0;
};

}  // namespace lcsi
