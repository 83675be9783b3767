// JsonArrayStream: splits a JSON array that arrives in chunks into its top-level elements, so a
// large LINSTOR list answer (tens of MB for 10,000 resources) is decoded one element at a time
// and never held whole in memory. It only finds element boundaries (strings, escapes, nesting);
// each element is validated by whoever decodes it.
//
//   JsonArrayStream s([&](std::string_view element) { return Decode(element); });
//   for (chunk : body) if (!s.Feed(chunk)) break;
//   Status done = s.Finish();
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace lcsi::linstor {

class JsonArrayStream {
 public:
  // Called once per element with its JSON text (valid until it returns). A non-OK status stops
  // the stream; Feed returns false and Finish returns that status.
  using ElementFn = std::function<Status(std::string_view element)>;
  explicit JsonArrayStream(ElementFn on_element);

  // Consumes the next bytes. False once the stream failed (bad shape, or the callback said so).
  bool Feed(std::string_view chunk);
  // OK when exactly one complete array (and nothing but whitespace after it) was fed.
  Status Finish();
  size_t elements() const { return elements_; }

 private:
  enum class State { kBeforeArray, kBeforeElement, kInElement, kAfterElement, kDone, kFailed };
  bool Fail(Status s);
  bool EmitElement();

  ElementFn on_element_;
  State state_ = State::kBeforeArray;
  std::string element_;  // the current element's text so far
  int depth_ = 0;        // nesting inside the current element
  bool in_string_ = false;
  bool escaped_ = false;
  bool scalar_ = false;          // the current element is a number, string, true, false or null
  bool expect_element_ = false;  // after a comma an element must follow
  size_t elements_ = 0;
  Status status_;
};

}  // namespace lcsi::linstor
