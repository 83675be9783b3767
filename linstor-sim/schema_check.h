// ApiSchema: the compact schema of the LINSTOR REST endpoints the plugin uses
// (schema/linstor-api-schema.json, generated from LINSTOR's OpenAPI description by
// schema/gen_schema.py) and a validator for JSON documents against it.
//
// A check fails on: an unknown object field, a value of the wrong JSON type (null is never
// allowed), a missing required field, malformed JSON. Error messages carry a JSON path:
//   "$.select_filter.place_count: expected integer, got string".
//
// Used by linstor-sim (--strict-schema: request bodies and query parameters are checked,
// violations answer 400; responses are checked before they are sent) and by tests of the
// client and the simulator. Library target: linstor_schema. Thread-safe after construction.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lcsi::sim {

class ApiSchema {
 public:
  // Parses a schema document in the linstor-api-schema.json format.
  static Result<std::shared_ptr<const ApiSchema>> Parse(std::string_view json);
  // The schema compiled into the library (schema/linstor-api-schema.json).
  static const ApiSchema& Builtin();
  static std::string_view BuiltinJson();

  // Checks `json` against a type expression: a named type ("Node"), "[Node]", "{string}", ...
  Status Check(std::string_view json, std::string_view type_expr) const;

  // "METHOD /template" of the endpoint serving a concrete request, e.g.
  // ("GET", "/v1/nodes/sat-alpha") -> "GET /v1/nodes/{node}"; nullopt when unknown.
  std::optional<std::string> FindEndpoint(std::string_view method, std::string_view path) const;
  std::vector<std::string> Endpoints() const;

  // Request body of `endpoint` ("POST /v1/resource-groups"). An endpoint without a request
  // body accepts only an empty body.
  Status CheckRequest(const std::string& endpoint, std::string_view body) const;
  // Query parameter names must be ones the endpoint declares.
  Status CheckQuery(const std::string& endpoint, const std::vector<std::string>& names) const;
  // Response body for an HTTP status: the endpoint's 2xx type, or the error list type.
  Status CheckResponse(const std::string& endpoint, int status, std::string_view body) const;
  // The declared response type for a status ("" when the status is not declared).
  std::string ResponseType(const std::string& endpoint, int status) const;
  bool HasType(const std::string& name) const;

  struct Node;  // a parsed type expression
  struct Type;  // a named type
  struct Endpoint;
  ApiSchema();
  ~ApiSchema();

 private:
  Status CheckValue(const Node& node, const void* element, const std::string& path) const;
  Result<std::shared_ptr<const Node>> ParseExpr(std::string_view expr) const;

  std::map<std::string, std::shared_ptr<Type>> types_;
  std::map<std::string, std::shared_ptr<Endpoint>> endpoints_;
  std::string error_type_ = "ApiCallRcList";
};

// The non-empty segments of a URL path: "/v1/nodes//a/" -> {"v1", "nodes", "a"}.
// Shared by the schema's endpoint matching and the simulator's router.
std::vector<std::string> SplitPath(std::string_view path);

}  // namespace lcsi::sim
