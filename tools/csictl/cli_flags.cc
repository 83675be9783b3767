#include "tools/csictl/cli_flags.h"

#include <algorithm>

namespace lcsi::csictl {
namespace {

const FlagSpec* FindSpec(std::span<const FlagSpec> specs, const std::string& name) {
  auto it = std::find_if(specs.begin(), specs.end(),
                         [&](const FlagSpec& spec) { return spec.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

Result<bool> ParseBoolText(const std::string& flag, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return InvalidArgument("--" + flag + ": expected true or false, got '" + text + "'");
}

}  // namespace

bool ParsedFlags::Has(const std::string& name) const {
  return values_.count(name) || bools_.count(name) || lists_.count(name) || maps_.count(name);
}

std::optional<std::string> ParsedFlags::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string ParsedFlags::GetOr(const std::string& name, const std::string& fallback) const {
  return Get(name).value_or(fallback);
}

bool ParsedFlags::GetBool(const std::string& name) const {
  auto it = bools_.find(name);
  return it != bools_.end() && it->second;
}

const std::vector<std::string>& ParsedFlags::List(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto it = lists_.find(name);
  return it == lists_.end() ? kEmpty : it->second;
}

const std::map<std::string, std::string>& ParsedFlags::Map(const std::string& name) const {
  static const std::map<std::string, std::string> kEmpty;
  auto it = maps_.find(name);
  return it == maps_.end() ? kEmpty : it->second;
}

void ParsedFlags::SetValue(const std::string& name, std::string value) {
  values_[name] = std::move(value);
}
void ParsedFlags::AddListValue(const std::string& name, std::string value) {
  lists_[name].push_back(std::move(value));
}
void ParsedFlags::AddKeyValue(const std::string& name, std::string key, std::string value) {
  maps_[name][std::move(key)] = std::move(value);
}
void ParsedFlags::SetBool(const std::string& name, bool value) { bools_[name] = value; }

Result<std::pair<std::string, std::string>> SplitKeyValue(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return InvalidArgument("expected key=value, got '" + text + "'");
  }
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

Result<ParsedFlags> ParseFlags(std::span<const std::string> args, std::span<const FlagSpec> specs) {
  ParsedFlags parsed;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() < 3 || arg.rfind("--", 0) != 0) {
      return InvalidArgument("unexpected argument '" + arg + "' (flags start with --)");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const FlagSpec* spec = FindSpec(specs, name);
    if (spec == nullptr) return InvalidArgument("unknown flag --" + name);

    if (spec->kind == FlagKind::kBool) {
      bool value = true;
      if (inline_value) {
        auto b = ParseBoolText(name, *inline_value);
        if (!b.ok()) return b.status();
        value = *b;
      }
      parsed.SetBool(name, value);
      continue;
    }

    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) return InvalidArgument("--" + name + " needs a value");
      value = args[++i];
    }
    switch (spec->kind) {
      case FlagKind::kString:
        if (parsed.Get(name)) return InvalidArgument("--" + name + " given more than once");
        parsed.SetValue(name, std::move(value));
        break;
      case FlagKind::kList:
        parsed.AddListValue(name, std::move(value));
        break;
      case FlagKind::kKeyValue: {
        auto kv = SplitKeyValue(value);
        if (!kv.ok()) return kv.status().WithContext("--" + name);
        parsed.AddKeyValue(name, std::move(kv->first), std::move(kv->second));
        break;
      }
      case FlagKind::kBool:
        break;  // handled above
    }
  }
  for (const FlagSpec& spec : specs) {
    if (spec.required && !parsed.Has(spec.name)) {
      return InvalidArgument("missing required flag --" + spec.name);
    }
  }
  return parsed;
}

std::string FlagsHelp(std::span<const FlagSpec> specs) {
  std::vector<std::pair<std::string, std::string>> rows;
  size_t width = 0;
  for (const FlagSpec& spec : specs) {
    std::string left = "--" + spec.name;
    switch (spec.kind) {
      case FlagKind::kBool:
        break;
      case FlagKind::kKeyValue:
        left += " KEY=VALUE";
        break;
      default:
        left += " " + spec.value_name;
    }
    std::string right = spec.help;
    if (spec.kind == FlagKind::kList || spec.kind == FlagKind::kKeyValue) right += " (repeatable)";
    if (spec.required) right += " (required)";
    width = std::max(width, left.size());
    rows.emplace_back(std::move(left), std::move(right));
  }
  // Wrap the help column at about 100 characters, continuation lines aligned under it.
  constexpr size_t kLineWidth = 100;
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
  return out;
}

}  // namespace lcsi::csictl
