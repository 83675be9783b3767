#include "controller/pagination.h"

#include <algorithm>

namespace lcsi::controller {

namespace {

constexpr std::string_view kPrefix = "k1.";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string EncodePageToken(const std::string& last_key) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kPrefix);
  for (unsigned char c : last_key) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

Result<std::string> DecodePageToken(const std::string& token) {
  auto bad = [&] { return Aborted("invalid starting_token '" + token + "'"); };
  if (token.compare(0, kPrefix.size(), kPrefix) != 0) return bad();
  const std::string_view hex = std::string_view(token).substr(kPrefix.size());
  if (hex.empty() || hex.size() % 2 != 0) return bad();
  std::string key;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    const char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return bad();
    key.push_back(c);
  }
  return key;
}

Result<Page> Paginate(const std::vector<std::string>& sorted_keys, int32_t max_entries,
                      const std::string& starting_token) {
  if (max_entries < 0) return InvalidArgument("max_entries must not be negative");
  Page page;
  if (!starting_token.empty()) {
    auto after = DecodePageToken(starting_token);
    if (!after.ok()) return after.status();
    page.begin = static_cast<size_t>(
        std::upper_bound(sorted_keys.begin(), sorted_keys.end(), *after) - sorted_keys.begin());
  }
  page.end = sorted_keys.size();
  if (max_entries > 0 && page.end - page.begin > static_cast<size_t>(max_entries)) {
    page.end = page.begin + static_cast<size_t>(max_entries);
    page.next_token = EncodePageToken(sorted_keys[page.end - 1]);
  }
  return page;
}

}  // namespace lcsi::controller
