#include "base/flags.h"

#include <charconv>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "base/parse_int.h"

namespace lcsi {

namespace {

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
  return Status(InvalidArgument("--" + name + ": expected true or false, got \"" + v + "\""));
}

}  // namespace

FlagSet::FlagSet(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void FlagSet::AddString(const std::string& name, const std::string& env, const std::string& def,
                        const std::string& help) {
  order_.push_back(name);
  flags_[name] = Flag{Type::kString, env, def, help, {}};
}

void FlagSet::AddBool(const std::string& name, const std::string& env, bool def,
                      const std::string& help) {
  order_.push_back(name);
  flags_[name] = Flag{Type::kBool, env, def ? "true" : "false", help, {}};
}

void FlagSet::AddList(const std::string& name, const std::string& env, const std::string& def,
                      const std::string& help) {
  order_.push_back(name);
  flags_[name] = Flag{Type::kList, env, def, help, {}};
}

Status FlagSet::Parse(int argc, const char* const* argv, const EnvLookup& env) {
  std::map<std::string, std::vector<std::string>> given;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg == "--version") {
      version_ = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      return InvalidArgument("unexpected argument \"" + arg + "\" (see --help)");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) return InvalidArgument("unknown flag --" + name + " (see --help)");
    if (!value) {
      if (it->second.type == Type::kBool) {
        value = "true";
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return InvalidArgument("flag --" + name + " needs a value");
      }
    }
    if (it->second.type == Type::kBool) {
      auto b = ParseBool(name, *value);
      if (!b.ok()) return b.status();
    }
    given[name].push_back(*value);
  }
  for (auto& [name, flag] : flags_) {
    if (auto g = given.find(name); g != given.end()) {
      flag.values = flag.type == Type::kList ? std::vector<std::string>{} : g->second;
      if (flag.type == Type::kList) {
        for (const auto& v : g->second) {
          for (auto& part : SplitComma(v)) flag.values.push_back(part);
        }
      } else {
        flag.values = {g->second.back()};
      }
      continue;
    }
    std::optional<std::string> from_env;
    if (!flag.env.empty()) from_env = env(flag.env);
    std::string raw = from_env ? *from_env : flag.def;
    if (flag.type == Type::kBool && from_env) {
      auto b = ParseBool(name, raw);
      if (!b.ok()) return b.status().WithContext("environment " + flag.env);
    }
    flag.values = flag.type == Type::kList ? SplitComma(raw) : std::vector<std::string>{raw};
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

Result<std::chrono::milliseconds> FlagSet::GetDuration(const std::string& name) const {
  auto d = ParseDuration(GetString(name));
  if (!d.ok()) return d.status().WithContext("--" + name);
  return d;
}

Result<long long> FlagSet::GetInt(const std::string& name) const {
  const std::string& v = GetString(name);
  const std::optional<long long> out = ParseInt<long long>(v);
  if (!out) {
    return Status(InvalidArgument("--" + name + ": expected an integer, got \"" + v + "\""));
  }
  return *out;
}

std::string FlagSet::Help() const {
  std::ostringstream out;
  out << "Usage: " << program_ << " [flags]\n\n" << summary_ << "\n\nFlags:\n";
  for (const auto& name : order_) {
    const Flag& f = flags_.at(name);
    out << "  --" << name;
    if (f.type != Type::kBool) out << " VALUE";
    out << "\n      " << f.help;
    if (!f.def.empty()) out << " (default: " << f.def << ")";
    if (!f.env.empty()) out << " [env " << f.env << "]";
    out << "\n";
  }
  out << "  --help\n      Print this help and exit.\n";
  out << "  --version\n      Print the version and exit.\n";
  return out.str();
}

}  // namespace lcsi
