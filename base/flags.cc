#include "base/flags.h"

#include <sstream>
#include <stdexcept>

#include "base/parse_double.h"
#include "base/parse_int.h"

namespace lcsi {

namespace {

// "a, b,,c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, ',')) {
    size_t b = item.find_first_not_of(" \t");
    size_t e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

Result<bool> ParseBool(const std::string& name, const std::string& v) {
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return Status(InvalidArgument("--" + name + ": expected true or false, got '" + v + "'"));
}

// The values one occurrence of a flag stands for: a kList value splits at commas.
std::vector<std::string> ValuesOf(FlagKind kind, const std::string& text) {
  if (kind == FlagKind::kList) return SplitComma(text);
  return {text};
}

// The values an environment value or a default stands for: lists of pairs split at commas, a
// kRepeated value is one value, and an empty text is none.
std::vector<std::string> ValuesOfFallback(FlagKind kind, const std::string& text) {
  if (kind == FlagKind::kList || kind == FlagKind::kKeyValue) return SplitComma(text);
  if (kind == FlagKind::kRepeated) {
    return text.empty() ? std::vector<std::string>{} : std::vector<std::string>{text};
  }
  return {text};
}

// Rejects a value the flag's kind cannot hold.
Status CheckValue(const FlagSpec& spec, const std::string& value) {
  if (spec.kind == FlagKind::kBool) return ParseBool(spec.name, value).status();
  if (spec.kind == FlagKind::kKeyValue) {
    return SplitKeyValue(value).status().WithContext("--" + spec.name);
  }
  return Status::Ok();
}

}  // namespace

Result<std::pair<std::string, std::string>> SplitKeyValue(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status(InvalidArgument("expected key=value, got '" + text + "'"));
  }
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

FlagSet::FlagSet(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void FlagSet::Add(FlagSpec spec) {
  const std::string name = spec.name;
  if (flags_.count(name)) throw std::logic_error("flag registered twice: " + name);
  order_.push_back(name);
  flags_[name] = Flag{std::move(spec), {}, false};
}

void FlagSet::AddString(const std::string& name, const std::string& env, const std::string& def,
                        const std::string& help) {
  Add({.name = name, .kind = FlagKind::kString, .help = help, .env = env, .def = def});
}

void FlagSet::AddBool(const std::string& name, const std::string& env, bool def,
                      const std::string& help) {
  Add({.name = name,
       .kind = FlagKind::kBool,
       .help = help,
       .env = env,
       .def = def ? "true" : "false"});
}

void FlagSet::AddList(const std::string& name, const std::string& env, const std::string& def,
                      const std::string& help) {
  Add({.name = name, .kind = FlagKind::kList, .help = help, .env = env, .def = def});
}

Status FlagSet::Parse(int argc, const char* const* argv, const EnvLookup& env) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return Parse(args, env);
}

Status FlagSet::Parse(std::span<const std::string> args, const EnvLookup& env) {
  return ParseArgs(args, nullptr, env);
}

Status FlagSet::ParseKnown(std::span<const std::string> args, std::vector<std::string>* rest,
                           const EnvLookup& env) {
  return ParseArgs(args, rest, env);
}

// Parse and ParseKnown: with `rest`, arguments that are not this set's flags go there instead of
// being errors.
Status FlagSet::ParseArgs(std::span<const std::string> args, std::vector<std::string>* rest,
                          const EnvLookup& env) {
  help_ = false;
  version_ = false;
  positional_.clear();
  std::map<std::string, std::vector<std::string>> given;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg == "--version") {
      version_ = true;
      continue;
    }
    if (arg.size() < 3 || !arg.starts_with("--")) {
      if (rest != nullptr) {
        rest->push_back(arg);
        continue;
      }
      if (positional_usage_) {
        positional_.push_back(arg);
        continue;
      }
      return InvalidArgument("unexpected argument '" + arg + "' (flags start with --; see --help)");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto it = flags_.find(name);
    if (it == flags_.end() && rest != nullptr) {
      rest->push_back(arg);
      continue;
    }
    if (it == flags_.end()) return InvalidArgument("unknown flag --" + name + " (see --help)");
    const FlagSpec& spec = it->second.spec;
    if (!value) {
      if (spec.kind == FlagKind::kBool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return InvalidArgument("flag --" + name + " needs a value");
      }
    }
    LCSI_RETURN_IF_ERROR(CheckValue(spec, *value));
    std::vector<std::string>& values = given[name];
    if (reject_repeats_ && spec.kind == FlagKind::kString && !values.empty()) {
      return InvalidArgument("flag --" + name + " given more than once");
    }
    values.push_back(std::move(*value));
  }
  for (auto& [name, flag] : flags_) {
    auto g = given.find(name);
    LCSI_RETURN_IF_ERROR(Resolve(flag, g == given.end() ? nullptr : &g->second, env));
  }
  if (help_ || version_) return Status::Ok();  // "--help" needs no required flag
  for (const std::string& name : order_) {
    const Flag& flag = flags_.at(name);
    if (!flag.spec.required || flag.set) continue;
    std::string message = "missing required flag --" + name;
    if (!flag.spec.env.empty()) message += " (or environment " + flag.spec.env + ")";
    return InvalidArgument(message);
  }
  return Status::Ok();
}

// Sets the flag's values from the command line (`given`, already checked), else from the
// environment, else from the default.
Status FlagSet::Resolve(Flag& flag, const std::vector<std::string>* given, const EnvLookup& env) {
  const FlagSpec& spec = flag.spec;
  flag.values.clear();
  if (given != nullptr) {
    flag.set = true;
    if (spec.kind == FlagKind::kString || spec.kind == FlagKind::kBool) {
      flag.values = {given->back()};
      return Status::Ok();
    }
    for (const std::string& text : *given) {
      for (std::string& value : ValuesOf(spec.kind, text)) flag.values.push_back(std::move(value));
    }
    return Status::Ok();
  }
  std::optional<std::string> from_env;
  if (!spec.env.empty()) from_env = env(spec.env);
  flag.set = from_env.has_value();
  flag.values = ValuesOfFallback(spec.kind, from_env ? *from_env : spec.def);
  if (!from_env) return Status::Ok();  // a default is the program's own
  for (const std::string& value : flag.values) {
    Status s = CheckValue(spec, value);
    if (!s.ok()) return s.WithContext("environment " + spec.env);
  }
  return Status::Ok();
}

const FlagSet::Flag& FlagSet::Find(const std::string& name) const {
  auto it = flags_.find(name);
  if (it == flags_.end()) throw std::logic_error("flag not registered: " + name);
  return it->second;
}

const std::string& FlagSet::GetString(const std::string& name) const {
  static const std::string kEmpty;
  const Flag& f = Find(name);
  return f.values.empty() ? kEmpty : f.values.back();
}

bool FlagSet::GetBool(const std::string& name) const {
  const std::string& v = GetString(name);
  return v == "true" || v == "1" || v == "yes";
}

std::vector<std::string> FlagSet::GetList(const std::string& name) const {
  return Find(name).values;
}

std::map<std::string, std::string> FlagSet::GetMap(const std::string& name) const {
  std::map<std::string, std::string> out;
  for (const std::string& text : Find(name).values) {
    auto pair = SplitKeyValue(text);  // checked by Parse
    if (pair.ok()) out[pair->first] = pair->second;
  }
  return out;
}

bool FlagSet::IsSet(const std::string& name) const { return Find(name).set; }

std::optional<std::string> FlagSet::GetIfSet(const std::string& name) const {
  if (!IsSet(name)) return std::nullopt;
  return GetString(name);
}

Result<std::chrono::milliseconds> FlagSet::GetDuration(const std::string& name) const {
  auto d = ParseDuration(GetString(name));
  if (!d.ok()) return d.status().WithContext("--" + name);
  return d;
}

Result<long long> FlagSet::GetInt(const std::string& name) const {
  const std::string& v = GetString(name);
  const std::optional<long long> out = ParseInt<long long>(v);
  if (!out) {
    return Status(InvalidArgument("--" + name + ": expected an integer, got '" + v + "'"));
  }
  return *out;
}

Result<double> FlagSet::GetDouble(const std::string& name) const {
  const std::string& v = GetString(name);
  const std::optional<double> out = ParseDouble(v);
  if (!out) return Status(InvalidArgument("--" + name + ": expected a number, got '" + v + "'"));
  return *out;
}

}  // namespace lcsi
