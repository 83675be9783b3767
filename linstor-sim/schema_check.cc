#include "linstor-sim/schema_check.h"

#include <simdjson.h>

#include <optional>
#include <set>

#include "base/parse_int.h"

namespace lcsi::sim {

namespace dom = simdjson::dom;

struct ApiSchema::Node {
  enum Kind { kString, kInteger, kNumber, kBoolean, kAny, kArray, kMap, kOneOf, kRef };
  Kind kind = kAny;
  std::vector<std::shared_ptr<const Node>> children;  // element type, or alternatives
  std::string ref;                                    // kRef: named type
  std::string text;                                   // the expression, for messages
};

struct ApiSchema::Type {
  bool is_object = false;
  struct Field {
    std::shared_ptr<const Node> type;
    bool required = false;
  };
  std::map<std::string, Field> fields;  // objects
  std::shared_ptr<const Node> alias;    // non-objects
};

struct ApiSchema::Endpoint {
  std::string method;
  std::vector<std::string> segments;  // "{x}" = parameter
  std::set<std::string> query;
  std::string request;  // "" = no body
  std::map<int, std::string> responses;
};

ApiSchema::ApiSchema() = default;
ApiSchema::~ApiSchema() = default;

namespace {

const char* TypeName(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
      return "integer";
    case dom::element_type::DOUBLE:
      return "number";
    case dom::element_type::STRING:
      return "string";
    case dom::element_type::BOOL:
      return "boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
  }
  return "?";
}

// Splits "A|B" at top-level bars.
std::vector<std::string_view> SplitAlternatives(std::string_view expr) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < expr.size(); ++i) {
    const char c = expr[i];
    if (c == '[' || c == '{') ++depth;
    if (c == ']' || c == '}') --depth;
    if (c == '|' && depth == 0) {
      out.push_back(expr.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(expr.substr(start));
  return out;
}

}  // namespace

Result<std::shared_ptr<const ApiSchema::Node>> ApiSchema::ParseExpr(std::string_view expr) const {
  auto node = std::make_shared<Node>();
  node->text = std::string(expr);
  if (expr.empty()) return InvalidArgument("empty type expression");
  auto alts = SplitAlternatives(expr);
  if (alts.size() > 1) {
    node->kind = Node::kOneOf;
    for (auto a : alts) {
      auto child = ParseExpr(a);
      if (!child.ok()) return child.status();
      node->children.push_back(*child);
    }
    return std::shared_ptr<const Node>(node);
  }
  if ((expr.front() == '[' && expr.back() == ']') || (expr.front() == '{' && expr.back() == '}')) {
    node->kind = expr.front() == '[' ? Node::kArray : Node::kMap;
    auto child = ParseExpr(expr.substr(1, expr.size() - 2));
    if (!child.ok()) return child.status();
    node->children.push_back(*child);
    return std::shared_ptr<const Node>(node);
  }
  if (expr == "string")
    node->kind = Node::kString;
  else if (expr == "integer")
    node->kind = Node::kInteger;
  else if (expr == "number")
    node->kind = Node::kNumber;
  else if (expr == "boolean")
    node->kind = Node::kBoolean;
  else if (expr == "any")
    node->kind = Node::kAny;
  else {
    for (char c : expr) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
        return InvalidArgument("bad type expression '" + std::string(expr) + "'");
      }
    }
    node->kind = Node::kRef;
    node->ref = std::string(expr);
  }
  return std::shared_ptr<const Node>(node);
}

Result<std::shared_ptr<const ApiSchema>> ApiSchema::Parse(std::string_view json) {
  auto schema = std::make_shared<ApiSchema>();
  dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("schema is not valid JSON");
  }
  std::string_view err_type;
  if (root["errors"].get_string().get(err_type) == simdjson::SUCCESS) {
    schema->error_type_ = std::string(err_type);
  }
  dom::object types;
  if (root["types"].get_object().get(types) != simdjson::SUCCESS) {
    return InvalidArgument("schema needs a \"types\" object");
  }
  for (auto [name, def] : types) {
    auto type = std::make_shared<Type>();
    std::string_view expr;
    dom::object fields;
    if (def.get_string().get(expr) == simdjson::SUCCESS) {
      auto node = schema->ParseExpr(expr);
      if (!node.ok()) return node.status().WithContext(std::string(name));
      type->alias = *node;
    } else if (def.get_object().get(fields) == simdjson::SUCCESS) {
      type->is_object = true;
      for (auto [field, fexpr_el] : fields) {
        std::string_view fexpr;
        if (fexpr_el.get_string().get(fexpr) != simdjson::SUCCESS) {
          return InvalidArgument("type " + std::string(name) + "." + std::string(field) +
                                 ": expected a type expression string");
        }
        Type::Field f;
        if (!fexpr.empty() && fexpr.back() == '!') {
          f.required = true;
          fexpr.remove_suffix(1);
        }
        auto node = schema->ParseExpr(fexpr);
        if (!node.ok()) return node.status().WithContext(std::string(name));
        f.type = *node;
        type->fields[std::string(field)] = f;
      }
    } else {
      return InvalidArgument("type " + std::string(name) + ": expected object or string");
    }
    schema->types_[std::string(name)] = type;
  }
  dom::object endpoints;
  if (root["endpoints"].get_object().get(endpoints) != simdjson::SUCCESS) {
    return InvalidArgument("schema needs an \"endpoints\" object");
  }
  for (auto [key, def] : endpoints) {
    auto ep = std::make_shared<Endpoint>();
    const auto space = key.find(' ');
    if (space == std::string_view::npos) {
      return InvalidArgument("endpoint key '" + std::string(key) + "' needs 'METHOD /path'");
    }
    ep->method = std::string(key.substr(0, space));
    ep->segments = SplitPath(key.substr(space + 1));
    dom::array query;
    if (def["query"].get_array().get(query) == simdjson::SUCCESS) {
      for (auto q : query) {
        std::string_view s;
        if (q.get_string().get(s) == simdjson::SUCCESS) ep->query.insert(std::string(s));
      }
    }
    std::string_view req;
    if (def["request"].get_string().get(req) == simdjson::SUCCESS) ep->request = std::string(req);
    dom::object responses;
    if (def["responses"].get_object().get(responses) == simdjson::SUCCESS) {
      for (auto [status, type] : responses) {
        std::string_view t;
        if (type.get_string().get(t) != simdjson::SUCCESS) continue;
        const std::optional<int> code = ParseInt<int>(status);
        if (!code) {
          return InvalidArgument("endpoint " + std::string(key) + ": response status '" +
                                 std::string(status) + "' is not a number");
        }
        ep->responses[*code] = std::string(t);
      }
    }
    schema->endpoints_[std::string(key)] = ep;
  }
  // Every referenced type must exist.
  std::vector<std::string> refs;
  auto collect = [&](const auto& self, const Node& n) -> void {
    if (n.kind == Node::kRef) refs.push_back(n.ref);
    for (const auto& c : n.children) self(self, *c);
  };
  for (const auto& [name, t] : schema->types_) {
    if (t->alias) collect(collect, *t->alias);
    for (const auto& [f, field] : t->fields) collect(collect, *field.type);
  }
  for (const auto& [key, ep] : schema->endpoints_) {
    for (const std::string* t : {&ep->request}) {
      if (t->empty()) continue;
      auto n = schema->ParseExpr(*t);
      if (!n.ok()) return n.status().WithContext(key);
      collect(collect, **n);
    }
    for (const auto& [status, t] : ep->responses) {
      auto n = schema->ParseExpr(t);
      if (!n.ok()) return n.status().WithContext(key);
      collect(collect, **n);
    }
  }
  for (const auto& r : refs) {
    if (schema->types_.count(r) == 0) return InvalidArgument("schema references unknown type " + r);
  }
  return std::shared_ptr<const ApiSchema>(schema);
}

bool ApiSchema::HasType(const std::string& name) const { return types_.count(name) != 0; }

Status ApiSchema::CheckValue(const Node& node, const void* element_ptr,
                             const std::string& path) const {
  const dom::element& e = *static_cast<const dom::element*>(element_ptr);
  const dom::element_type t = e.type();
  auto wrong = [&](const char* expected) {
    return InvalidArgument(path + ": expected " + expected + ", got " + TypeName(t));
  };
  if (t == dom::element_type::NULL_VALUE) return wrong(node.text.c_str());
  switch (node.kind) {
    case Node::kAny:
      return Status::Ok();
    case Node::kString:
      return t == dom::element_type::STRING ? Status::Ok() : wrong("string");
    case Node::kBoolean:
      return t == dom::element_type::BOOL ? Status::Ok() : wrong("boolean");
    case Node::kInteger:
      return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ? Status::Ok()
                                                                             : wrong("integer");
    case Node::kNumber:
      return t == dom::element_type::INT64 || t == dom::element_type::UINT64 ||
                     t == dom::element_type::DOUBLE
                 ? Status::Ok()
                 : wrong("number");
    case Node::kArray: {
      if (t != dom::element_type::ARRAY) return wrong("array");
      size_t i = 0;
      for (dom::element item : dom::array(e)) {
        LCSI_RETURN_IF_ERROR(
            CheckValue(*node.children[0], &item, path + "[" + std::to_string(i++) + "]"));
      }
      return Status::Ok();
    }
    case Node::kMap: {
      if (t != dom::element_type::OBJECT) return wrong("object");
      for (auto [k, v] : dom::object(e)) {
        dom::element value = v;
        LCSI_RETURN_IF_ERROR(CheckValue(*node.children[0], &value, path + "." + std::string(k)));
      }
      return Status::Ok();
    }
    case Node::kOneOf: {
      std::string errors;
      for (const auto& alt : node.children) {
        Status st = CheckValue(*alt, element_ptr, path);
        if (st.ok()) return st;
        errors += (errors.empty() ? "" : "; ") + st.message();
      }
      return InvalidArgument(path + ": matches none of " + node.text + " (" + errors + ")");
    }
    case Node::kRef: {
      const Type& type = *types_.at(node.ref);
      if (!type.is_object) return CheckValue(*type.alias, element_ptr, path);
      if (t != dom::element_type::OBJECT) return wrong(node.ref.c_str());
      std::set<std::string_view> seen;
      for (auto [k, v] : dom::object(e)) {
        auto f = type.fields.find(std::string(k));
        if (f == type.fields.end()) {
          return InvalidArgument(path + ": unknown field '" + std::string(k) + "' in " + node.ref);
        }
        seen.insert(k);
        dom::element value = v;
        LCSI_RETURN_IF_ERROR(CheckValue(*f->second.type, &value, path + "." + std::string(k)));
      }
      for (const auto& [name, f] : type.fields) {
        if (f.required && seen.count(name) == 0) {
          return InvalidArgument(path + ": missing required field '" + name + "' of " + node.ref);
        }
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Status ApiSchema::Check(std::string_view json, std::string_view type_expr) const {
  auto node = ParseExpr(type_expr);
  if (!node.ok()) return node.status();
  std::vector<std::string> refs;
  auto collect = [&](const auto& self, const Node& n) -> void {
    if (n.kind == Node::kRef && types_.count(n.ref) == 0) refs.push_back(n.ref);
    for (const auto& c : n.children) self(self, *c);
  };
  collect(collect, **node);
  if (!refs.empty()) return InvalidArgument("unknown schema type " + refs.front());
  thread_local dom::parser parser;
  dom::element root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("$: not valid JSON");
  }
  return CheckValue(**node, &root, "$");
}

std::optional<std::string> ApiSchema::FindEndpoint(std::string_view method,
                                                   std::string_view path) const {
  const auto q = path.find('?');
  const auto segments = SplitPath(path.substr(0, q));
  std::optional<std::string> best;
  int best_literals = -1;
  for (const auto& [key, ep] : endpoints_) {
    if (ep->method != method || ep->segments.size() != segments.size()) continue;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& s = ep->segments[i];
      if (!s.empty() && s.front() == '{') continue;
      if (s != segments[i]) match = false;
      ++literals;
    }
    if (match && literals > best_literals) {
      best = key;
      best_literals = literals;
    }
  }
  return best;
}

std::vector<std::string> ApiSchema::Endpoints() const {
  std::vector<std::string> out;
  for (const auto& [key, ep] : endpoints_) out.push_back(key);
  return out;
}

Status ApiSchema::CheckRequest(const std::string& endpoint, std::string_view body) const {
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return NotFound("schema has no endpoint " + endpoint);
  if (it->second->request.empty()) {
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
    return InvalidArgument(endpoint + " takes no request body");
  }
  Status st = Check(body, it->second->request);
  return st.WithContext(endpoint + " request");
}

Status ApiSchema::CheckQuery(const std::string& endpoint,
                             const std::vector<std::string>& names) const {
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return NotFound("schema has no endpoint " + endpoint);
  for (const auto& n : names) {
    if (it->second->query.count(n) == 0) {
      return InvalidArgument(endpoint + ": unknown query parameter '" + n + "'");
    }
  }
  return Status::Ok();
}

std::string ApiSchema::ResponseType(const std::string& endpoint, int status) const {
  auto it = endpoints_.find(endpoint);
  if (it == endpoints_.end()) return "";
  if (status >= 400) return error_type_;
  auto r = it->second->responses.find(status);
  return r == it->second->responses.end() ? "" : r->second;
}

Status ApiSchema::CheckResponse(const std::string& endpoint, int status,
                                std::string_view body) const {
  if (endpoints_.count(endpoint) == 0) return NotFound("schema has no endpoint " + endpoint);
  const std::string type = ResponseType(endpoint, status);
  if (type.empty()) {
    return InvalidArgument(endpoint + ": status " + std::to_string(status) + " is not declared");
  }
  return Check(body, type).WithContext(endpoint + " response " + std::to_string(status));
}

const ApiSchema& ApiSchema::Builtin() {
  static const std::shared_ptr<const ApiSchema> schema = [] {
    auto parsed = Parse(BuiltinJson());
    if (!parsed.ok()) {
      // The embedded schema is checked by tests; an invalid one is a build defect.
      std::fprintf(stderr, "linstor_schema: embedded schema invalid: %s\n",
                   parsed.status().message().c_str());
      std::abort();
    }
    return *parsed;
  }();
  return *schema;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace lcsi::sim
