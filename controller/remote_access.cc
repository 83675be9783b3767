#include "controller/remote_access.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>
#include <string_view>

#include "base/lines.h"

namespace lcsi::controller {

namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// A YAML flow value: the subset linstor-csi's rules use ([..], {k: v}, plain or quoted
// scalars). JSON is a subset of it.
struct FlowField;
struct Flow {
  enum Kind { kScalar, kList, kMap } kind = kScalar;
  std::string scalar;
  std::vector<Flow> items;
  // Not std::pair<std::string, Flow>: a pair needs Flow complete here, a vector does not.
  std::vector<FlowField> fields;
};
struct FlowField {
  std::string key;
  Flow value;
};

class FlowParser {
 public:
  explicit FlowParser(std::string_view text) : s_(text) {}

  std::optional<Flow> ParseAll() {
    auto v = Value();
    Skip();
    if (!v || pos_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool Eat(char c) {
    Skip();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::optional<std::string> Scalar() {
    Skip();
    if (pos_ >= s_.size()) return std::nullopt;
    const char q = s_[pos_];
    if (q == '"' || q == '\'') {
      const size_t end = s_.find(q, pos_ + 1);
      if (end == std::string_view::npos) return std::nullopt;
      std::string out(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return out;
    }
    const size_t start = pos_;
    while (pos_ < s_.size() && std::string_view(",[]{}:").find(s_[pos_]) == std::string_view::npos)
      ++pos_;
    // A colon inside a plain scalar (no space after it) belongs to the scalar.
    while (pos_ + 1 < s_.size() && s_[pos_] == ':' && !std::isspace(s_[pos_ + 1])) {
      ++pos_;
      while (pos_ < s_.size() &&
             std::string_view(",[]{}:").find(s_[pos_]) == std::string_view::npos)
        ++pos_;
    }
    std::string out = Trim(s_.substr(start, pos_ - start));
    if (out.empty()) return std::nullopt;
    return out;
  }
  std::optional<Flow> Value() {
    // Rules nest three deep; refuse deeper input rather than recurse without bound.
    if (++depth_ > kMaxDepth) return std::nullopt;
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    Flow f;
    if (Eat('[')) {
      f.kind = Flow::kList;
      if (Eat(']')) return f;
      do {
        auto item = Value();
        if (!item) return std::nullopt;
        f.items.push_back(std::move(*item));
      } while (Eat(','));
      if (!Eat(']')) return std::nullopt;
      return f;
    }
    if (Eat('{')) {
      f.kind = Flow::kMap;
      if (Eat('}')) return f;
      do {
        auto key = Scalar();
        if (!key || !Eat(':')) return std::nullopt;
        auto value = Value();
        if (!value) return std::nullopt;
        f.fields.push_back(FlowField{std::move(*key), std::move(*value)});
      } while (Eat(','));
      if (!Eat('}')) return std::nullopt;
      return f;
    }
    auto s = Scalar();
    if (!s) return std::nullopt;
    f.scalar = std::move(*s);
    return f;
  }

  static constexpr int kMaxDepth = 8;
  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// Block YAML ("- fromSame:\n  - zone") rewritten as the equivalent flow value.
std::optional<Flow> ParseBlock(const std::string& text) {
  Flow list;
  list.kind = Flow::kList;
  std::optional<size_t> item_indent;
  std::string open_key;  // a "key:" line waiting for "- value" lines
  auto add_field = [&](const std::string& content) -> bool {
    if (list.items.empty()) return false;
    Flow& rule = list.items.back();
    if (!content.empty() && content.front() == '{') {
      auto map = FlowParser(content).ParseAll();
      if (!map || map->kind != Flow::kMap) return false;
      for (auto& f : map->fields) rule.fields.push_back(std::move(f));
      return true;
    }
    const size_t colon = content.find(':');
    if (colon == std::string::npos) return false;
    std::string key = Trim(content.substr(0, colon));
    std::string rest = Trim(content.substr(colon + 1));
    if (key.empty()) return false;
    if (rest.empty()) {
      Flow empty_list;
      empty_list.kind = Flow::kList;
      rule.fields.push_back(FlowField{key, std::move(empty_list)});
      open_key = key;
      return true;
    }
    auto value = FlowParser(rest).ParseAll();
    if (!value) return false;
    rule.fields.push_back(FlowField{key, std::move(*value)});
    open_key.clear();
    return true;
  };
  Lines lines(text);
  while (const std::optional<std::string_view> next = lines.Next()) {
    std::string line(*next);
    const size_t hash = line.find(" #");
    if (hash != std::string::npos) line.resize(hash);
    if (Trim(line).empty() || Trim(line).front() == '#') continue;
    const size_t indent = line.find_first_not_of(' ');
    std::string content = Trim(line);
    const bool dash = content == "-" || content.rfind("- ", 0) == 0;
    if (!item_indent) {
      if (!dash) return std::nullopt;
      item_indent = indent;
    }
    if (dash && indent == *item_indent) {
      Flow rule;
      rule.kind = Flow::kMap;
      list.items.push_back(std::move(rule));
      open_key.clear();
      content = Trim(content.substr(1));
      if (content.empty()) continue;
      if (!add_field(content)) return std::nullopt;
      continue;
    }
    if (indent <= *item_indent) return std::nullopt;
    if (dash && !open_key.empty()) {
      auto value = FlowParser(Trim(content.substr(1))).ParseAll();
      if (!value || value->kind != Flow::kScalar) return std::nullopt;
      list.items.back().fields.back().value.items.push_back(std::move(*value));
      continue;
    }
    if (!add_field(content)) return std::nullopt;
  }
  if (!item_indent) return std::nullopt;
  return list;
}

std::optional<bool> Bool(const std::string& value) {
  std::string v = value;
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  return std::nullopt;
}

bool SubsetOf(const Segments& a, const Segments& b) {
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    if (it == b.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace

Result<RemoteAccessPolicy> RemoteAccessPolicy::Parse(const std::string& key,
                                                     const std::string& value,
                                                     const std::string& node_key) {
  if (auto b = Bool(Trim(value))) return *b ? Anywhere() : LocalOnly();
  const std::string trimmed = Trim(value);
  const std::string bad = "parameter '" + key + "': ";
  const std::string expected =
      " (expected true, false or a list of rules like '- fromSame: [topology.kubernetes.io/zone]')";
  std::optional<Flow> parsed = !trimmed.empty() && trimmed.front() == '['
                                   ? FlowParser(trimmed).ParseAll()
                                   : ParseBlock(value);
  if (!parsed || parsed->kind != Flow::kList) {
    return InvalidArgument(bad + "'" + value + "' is not readable" + expected);
  }
  if (parsed->items.empty()) {
    return InvalidArgument(bad + "the rule list is empty, so no node could use a volume" +
                           expected);
  }
  std::vector<std::vector<std::string>> rules;
  for (const Flow& item : parsed->items) {
    if (item.kind != Flow::kMap)
      return InvalidArgument(bad + "every rule must be a mapping" + expected);
    std::vector<std::string> keys;
    for (const auto& [field, list] : item.fields) {
      if (field != "fromSame") {
        return InvalidArgument(bad + "unknown rule field '" + field + "' (only fromSame)");
      }
      if (list.kind != Flow::kList) {
        return InvalidArgument(bad + "fromSame must be a list of topology keys");
      }
      for (const Flow& k : list.items) {
        if (k.kind != Flow::kScalar) {
          return InvalidArgument(bad + "fromSame must be a list of topology keys");
        }
        if (k.scalar.find_first_of(",;= \t") != std::string::npos) {
          return InvalidArgument(bad + "'" + k.scalar + "' is not a topology key");
        }
        const std::string name =
            !node_key.empty() && k.scalar == node_key ? kLinstorCsiNodeKey : k.scalar;
        if (std::find(keys.begin(), keys.end(), name) == keys.end()) keys.push_back(name);
      }
    }
    rules.push_back(std::move(keys));
  }
  return RemoteAccessPolicy(std::move(rules));
}

bool RemoteAccessPolicy::anywhere() const {
  return std::any_of(rules_.begin(), rules_.end(), [](const auto& r) { return r.empty(); });
}

bool RemoteAccessPolicy::local_only() const {
  return !anywhere() && std::all_of(rules_.begin(), rules_.end(), [](const auto& r) {
    return std::find(r.begin(), r.end(), kLinstorCsiNodeKey) != r.end();
  });
}

std::string RemoteAccessPolicy::Canonical() const {
  if (anywhere()) return "true";
  if (local_only()) return "false";
  std::string out;
  for (const auto& rule : rules_) {
    if (!out.empty()) out += ";";
    out += "fromSame=";
    for (size_t i = 0; i < rule.size(); ++i) out += (i ? "," : "") + rule[i];
  }
  return out;
}

RemoteAccessPolicy RemoteAccessPolicy::FromCanonical(const std::string& text) {
  if (text == "false") return LocalOnly();
  if (text.rfind("fromSame=", 0) != 0) return Anywhere();
  std::vector<std::vector<std::string>> rules;
  std::istringstream in(text);
  std::string rule;
  while (std::getline(in, rule, ';')) {
    std::vector<std::string> keys;
    std::istringstream ks(rule.substr(std::string_view("fromSame=").size()));
    std::string k;
    while (std::getline(ks, k, ','))
      if (!k.empty()) keys.push_back(k);
    rules.push_back(std::move(keys));
  }
  return RemoteAccessPolicy(std::move(rules));
}

std::vector<Segments> PruneSegments(std::vector<Segments> segments) {
  // Broader segments first, so a narrower one is dropped when a broader one covers it.
  std::stable_sort(segments.begin(), segments.end(),
                   [](const Segments& a, const Segments& b) { return a.size() < b.size(); });
  std::vector<Segments> out;
  for (auto& s : segments) {
    bool covered = std::any_of(out.begin(), out.end(),
                               [&](const Segments& kept) { return SubsetOf(kept, s); });
    if (!covered) out.push_back(std::move(s));
  }
  return out;
}

std::vector<Segments> RemoteAccessPolicy::AccessibleSegments(const Segments& node_segments) const {
  std::vector<Segments> out;
  for (const auto& rule : rules_) {
    Segments m;
    for (const auto& k : rule) {
      auto it = node_segments.find(k);
      if (it != node_segments.end()) m[k] = it->second;
    }
    out.push_back(std::move(m));
  }
  return PruneSegments(std::move(out));
}

bool RemoteAccessPolicy::Allows(const Segments& node, const std::vector<Segments>& replicas) const {
  for (const auto& replica : replicas) {
    for (const auto& segment : AccessibleSegments(replica)) {
      if (SubsetOf(segment, node)) return true;
    }
  }
  return false;
}

}  // namespace lcsi::controller
