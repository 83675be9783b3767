#!/usr/bin/env python3
"""Generates linstor-api-schema.json, the compact schema of the LINSTOR REST endpoints
that linstor-sim serves and the plugin's client uses, from LINSTOR's OpenAPI description.

  python3 gen_schema.py OPENAPI_YAML > linstor-api-schema.json

OPENAPI_YAML is LINSTOR's REST API description (linstor-server's docs/rest_v1_openapi.yaml).
It is not part of this repository; only the derived schema is.

Format: "types" maps a name to an object type ({field: type-expression}) or to a type
expression. Expressions: string, integer, number, boolean, any, a type name, [T] (array),
{T} (object with arbitrary keys), A|B (one of). A trailing "!" on a field marks it required.
"endpoints" maps "METHOD /path/{param}" to its query parameters, request body type and
response body type per status; every error status (4xx/5xx) answers "errors".

Deviations from the YAML, all matching what LINSTOR's controller actually does:
  * single-object GETs (/v1/nodes/{node}, /v1/resource-groups/{resource_group},
    /v1/resource-definitions/{resource}, .../resources/{node}) exist though the YAML omits them;
  * GET .../resources and .../resources/{node} answer Resource without "volumes"
    (Resources.listResources -> Json.apiToResource); GET /v1/resource-definitions/{resource}
    reads only limit and offset and never carries volume_definitions
    (ResourceDefinitions.listSingleResourceDefinition);
  * error answers are always an ApiCallRc list (the YAML's OperationFailed says a single one);
  * POST .../volume-definitions answers 200, not 201 (VolumeDefinitions.createVolumeDefinition
    maps its answer without a status: mapToMonoResponse(flux) is 200).
What each handler actually reads, narrower than these shapes, is in ../handler_reads.cc.
"""
import json
import sys

import yaml

ENDPOINTS = [
    ("GET", "/v1/controller/version"),
    ("GET", "/v1/nodes"),
    ("GET", "/v1/nodes/{node}"),
    ("GET", "/v1/nodes/{node}/storage-pools"),
    ("GET", "/v1/view/storage-pools"),
    ("GET", "/v1/resource-groups"),
    ("POST", "/v1/resource-groups"),
    ("GET", "/v1/resource-groups/{resource_group}"),
    ("PUT", "/v1/resource-groups/{resource_group}"),
    ("DELETE", "/v1/resource-groups/{resource_group}"),
    ("POST", "/v1/resource-groups/{resource_group}/spawn"),
    ("POST", "/v1/resource-groups/{resource_group}/query-size-info"),
    ("GET", "/v1/resource-definitions"),
    ("POST", "/v1/resource-definitions"),
    ("GET", "/v1/resource-definitions/{resource}"),
    ("PUT", "/v1/resource-definitions/{resource}"),
    ("DELETE", "/v1/resource-definitions/{resource}"),
    ("GET", "/v1/resource-definitions/{resource}/volume-definitions"),
    ("POST", "/v1/resource-definitions/{resource}/volume-definitions"),
    ("PUT", "/v1/resource-definitions/{resource}/volume-definitions/{volume_number}"),
    ("GET", "/v1/resource-definitions/{resource}/resources"),
    ("POST", "/v1/resource-definitions/{resource}/resources"),
    ("GET", "/v1/resource-definitions/{resource}/resources/{node}"),
    ("POST", "/v1/resource-definitions/{resource}/resources/{node}"),
    ("DELETE", "/v1/resource-definitions/{resource}/resources/{node}"),
    ("POST", "/v1/resource-definitions/{resource}/resources/{node}/make-available"),
    ("POST", "/v1/resource-definitions/{resource}/autoplace"),
    ("GET", "/v1/view/resources"),
    ("GET", "/v1/resource-definitions/{resource}/snapshots"),
    ("POST", "/v1/resource-definitions/{resource}/snapshots"),
    ("GET", "/v1/resource-definitions/{resource}/snapshots/{snapshot}"),
    ("DELETE", "/v1/resource-definitions/{resource}/snapshots/{snapshot}"),
    ("POST", "/v1/actions/snapshot/multi"),
    ("GET", "/v1/view/snapshots"),
    ("POST", "/v1/resource-definitions/{resource}/snapshot-restore-volume-definition/{snapshot}"),
    ("POST", "/v1/resource-definitions/{resource}/snapshot-restore-resource/{snapshot}"),
    ("POST", "/v1/resource-definitions/{resource}/snapshot-rollback/{snapshot}"),
    ("POST", "/v1/resource-definitions/{resource}/clone"),
    ("GET", "/v1/resource-definitions/{resource}/clone/{resourceClone}"),
]

# Endpoints missing from the YAML: (query params, request type, {status: response type}).
EXTRA = {
    ("GET", "/v1/nodes/{node}"): ([], None, {"200": "Node"}),
    ("GET", "/v1/resource-groups/{resource_group}"): ([], None, {"200": "ResourceGroup"}),
    ("GET", "/v1/resource-definitions/{resource}"): (["limit", "offset"], None,
                                                     {"200": "ResourceDefinition"}),
    ("GET", "/v1/resource-definitions/{resource}/resources/{node}"): (
        ["limit", "offset"], None, {"200": "Resource"}),
}
RESPONSE_OVERRIDES = {
    ("GET", "/v1/resource-definitions/{resource}/resources"): {"200": "[Resource]"},
    ("POST", "/v1/resource-definitions/{resource}/volume-definitions"): {"200": "ApiCallRcList"},
}
QUERY_EXTRAS = {
}


def main():
    spec = yaml.safe_load(open(sys.argv[1]))
    schemas = spec["components"]["schemas"]
    params = spec["components"]["parameters"]
    types = {}

    def ref_name(ref):
        return ref.split("/")[-1]

    def expr(s):
        """Type expression of an OpenAPI schema; registers named types it uses."""
        if "$ref" in s:
            name = ref_name(s["$ref"])
            define(name)
            return name
        if "allOf" in s:
            # allOf of refs/objects: an anonymous merged object is not needed here because
            # the YAML only uses allOf at the top of named schemas.
            raise ValueError("inline allOf not supported")
        if "oneOf" in s:
            return "|".join(expr(x) for x in s["oneOf"])
        t = s.get("type")
        if t == "array":
            return "[" + expr(s["items"]) + "]"
        if t == "object" or "properties" in s:
            if "properties" in s:
                raise ValueError("inline object not supported")
            ap = s.get("additionalProperties")
            if isinstance(ap, dict):
                return "{" + expr(ap) + "}"
            return "{any}"
        if t in ("string", "integer", "number", "boolean"):
            return t
        if not s:
            return "any"
        raise ValueError("unsupported schema %r" % (s,))

    def object_fields(s, out):
        if "$ref" in s:
            object_fields(schemas[ref_name(s["$ref"])], out)
            return
        for part in s.get("allOf", []):
            object_fields(part, out)
        req = set(s.get("required", []))
        for field, fs in (s.get("properties") or {}).items():
            out[field] = expr(fs) + ("!" if field in req else "")

    def define(name):
        if name in types:
            return
        types[name] = None  # recursion guard
        s = schemas[name]
        if "properties" in s or "allOf" in s:
            fields = {}
            object_fields(s, fields)
            types[name] = fields
        else:
            types[name] = expr(s)

    def body_type(content_holder):
        schema = content_holder["content"]["application/json"]["schema"]
        return expr(schema)

    def param_names(op_or_path):
        names = []
        for p in op_or_path.get("parameters", []):
            if "$ref" in p:
                p = params[ref_name(p["$ref"])]
            if p.get("in") == "query":
                names.append(p["name"])
        return names

    define("ApiCallRc")
    types["ApiCallRcList"] = "[ApiCallRc]"
    endpoints = {}
    for method, path in ENDPOINTS:
        key = method + " " + path
        if (method, path) in EXTRA:
            query, req, resp = EXTRA[(method, path)]
            for t in resp.values():
                expr({"$ref": "#/x/" + t.strip("[]")})
            endpoints[key] = {"query": query, "responses": resp}
            continue
        item = spec["paths"][path]
        op = item[method.lower()]
        entry = {"query": param_names(item) + param_names(op)}
        entry["query"] += QUERY_EXTRAS.get((method, path), [])
        if "requestBody" in op:
            entry["request"] = body_type(op["requestBody"])
        responses = {}
        for status, r in op["responses"].items():
            if not str(status).startswith("2"):
                continue
            if "$ref" in r:
                r = spec["components"]["responses"][ref_name(r["$ref"])]
            responses[str(status)] = body_type(r)
        responses.update(RESPONSE_OVERRIDES.get((method, path), {}))
        for t in responses.values():
            expr({"$ref": "#/x/" + t.strip("[]")}) if t.strip("[]") in schemas else None
        entry["responses"] = responses
        endpoints[key] = entry

    doc = {
        "comment": "Generated by gen_schema.py from LINSTOR's REST API v1 OpenAPI description "
                   "(v%s); see gen_schema.py for the format and the documented deviations."
                   % spec["info"]["version"],
        "errors": "ApiCallRcList",
        "types": dict(sorted(types.items())),
        "endpoints": endpoints,
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
