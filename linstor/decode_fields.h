// The field readers of linstor/decode.cc: simdjson on-demand values into typed fields, with
// JSON null read as absent. Internal to the decoders; nothing else should include it.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linstor/model.h"

namespace lcsi::linstor::decode_fields {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

#define LD_TRY(expr)                        \
  do {                                      \
    error_code ld_err_ = (expr);            \
    if (ld_err_ != SUCCESS) return ld_err_; \
  } while (0)

inline bool IsNull(od::value& v) {
  od::json_type t;
  return v.type().get(t) == SUCCESS && t == od::json_type::null;
}

inline error_code Str(od::value& v, std::string& out) {
  if (IsNull(v)) return SUCCESS;
  std::string_view sv;
  LD_TRY(v.get_string().get(sv));
  out.assign(sv);
  return SUCCESS;
}

inline error_code OptStr(od::value& v, std::optional<std::string>& out) {
  if (IsNull(v)) return SUCCESS;
  std::string s;
  LD_TRY(Str(v, s));
  out = std::move(s);
  return SUCCESS;
}

// Integers; also accepts an integral double (1.0) and uint64 beyond int64 (bit cast,
// as LINSTOR's ret_code may be printed unsigned by other tools).
inline error_code Int(od::value& v, int64_t& out) {
  od::number_type nt;
  LD_TRY(v.get_number_type().get(nt));
  switch (nt) {
    case od::number_type::signed_integer:
      return v.get_int64().get(out);
    case od::number_type::unsigned_integer: {
      uint64_t u;
      LD_TRY(v.get_uint64().get(u));
      out = static_cast<int64_t>(u);
      return SUCCESS;
    }
    case od::number_type::floating_point_number: {
      double d;
      LD_TRY(v.get_double().get(d));
      if (!(d >= -9.2e18 && d <= 9.2e18)) return simdjson::NUMBER_OUT_OF_RANGE;
      out = static_cast<int64_t>(d);
      return SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

template <typename T>
error_code OptInt(od::value& v, std::optional<T>& out) {
  if (IsNull(v)) return SUCCESS;
  int64_t i;
  LD_TRY(Int(v, i));
  out = static_cast<T>(i);
  return SUCCESS;
}

template <typename T>
error_code IntTo(od::value& v, T& out) {
  if (IsNull(v)) return SUCCESS;
  int64_t i;
  LD_TRY(Int(v, i));
  out = static_cast<T>(i);
  return SUCCESS;
}

inline error_code OptBool(od::value& v, std::optional<bool>& out) {
  if (IsNull(v)) return SUCCESS;
  bool b;
  LD_TRY(v.get_bool().get(b));
  out = b;
  return SUCCESS;
}

// Calls f(key, value) for each field of an object value; null is an empty object.
template <typename F>
error_code Fields(od::value& v, F&& f) {
  if (IsNull(v)) return SUCCESS;
  od::object obj;
  LD_TRY(v.get_object().get(obj));
  for (auto field_result : obj) {
    od::field field;
    LD_TRY(std::move(field_result).get(field));
    std::string_view key;
    LD_TRY(field.unescaped_key().get(key));
    LD_TRY(f(key, field.value()));
  }
  return SUCCESS;
}

// Calls f(value) for each element of an array value; null is an empty array.
template <typename F>
error_code Elements(od::value& v, F&& f) {
  if (IsNull(v)) return SUCCESS;
  od::array arr;
  LD_TRY(v.get_array().get(arr));
  for (auto element_result : arr) {
    od::value element;
    LD_TRY(std::move(element_result).get(element));
    LD_TRY(f(element));
  }
  return SUCCESS;
}

inline error_code Strings(od::value& v, std::vector<std::string>& out) {
  return Elements(v, [&](od::value& e) -> error_code {
    if (IsNull(e)) return SUCCESS;
    std::string s;
    LD_TRY(Str(e, s));
    out.push_back(std::move(s));
    return SUCCESS;
  });
}

inline error_code OptStrings(od::value& v, std::optional<std::vector<std::string>>& out) {
  if (IsNull(v)) return SUCCESS;
  std::vector<std::string> list;
  LD_TRY(Strings(v, list));
  out = std::move(list);
  return SUCCESS;
}

// Props are string->string; other value types are skipped.
inline error_code PropsOf(od::value& v, Props& out) {
  return Fields(v, [&](std::string_view key, od::value& val) -> error_code {
    od::json_type t;
    LD_TRY(val.type().get(t));
    if (t != od::json_type::string) return SUCCESS;
    std::string_view sv;
    LD_TRY(val.get_string().get(sv));
    out.insert_or_assign(std::string(key), std::string(sv));
    return SUCCESS;
  });
}

}  // namespace lcsi::linstor::decode_fields
