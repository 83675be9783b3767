#include "linstor/json_array_stream.h"

#include <cstring>

namespace lcsi::linstor {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

JsonArrayStream::JsonArrayStream(ElementFn on_element) : on_element_(std::move(on_element)) {}

bool JsonArrayStream::Fail(Status s) {
  state_ = State::kFailed;
  status_ = std::move(s);
  element_.clear();
  element_.shrink_to_fit();
  return false;
}

bool JsonArrayStream::EmitElement() {
  if (element_.empty()) return Fail(InvalidArgument("JSON: empty array element"));
  ++elements_;
  state_ = State::kAfterElement;
  expect_element_ = false;
  Status s = on_element_(element_);
  element_.clear();
  if (!s.ok()) return Fail(std::move(s));
  return true;
}

bool JsonArrayStream::Feed(std::string_view chunk) {
  const char* p = chunk.data();
  const char* const end = p + chunk.size();
  while (p < end) {
    switch (state_) {
      case State::kFailed:
        return false;
      case State::kDone:
        if (!IsSpace(*p)) return Fail(InvalidArgument("JSON: text after the end of the array"));
        ++p;
        break;
      case State::kBeforeArray:
        if (IsSpace(*p)) {
          ++p;
        } else if (*p == '[') {
          state_ = State::kBeforeElement;
          ++p;
        } else {
          return Fail(InvalidArgument("JSON: the answer is not an array"));
        }
        break;
      case State::kAfterElement:
        if (IsSpace(*p)) {
          ++p;
        } else if (*p == ',') {
          state_ = State::kBeforeElement;
          expect_element_ = true;
          ++p;
        } else if (*p == ']') {
          state_ = State::kDone;
          ++p;
        } else {
          return Fail(InvalidArgument("JSON: expected ',' or ']' after an array element"));
        }
        break;
      case State::kBeforeElement:
        if (IsSpace(*p)) {
          ++p;
        } else if (*p == ']') {
          if (expect_element_) return Fail(InvalidArgument("JSON: ',' before ']'"));
          state_ = State::kDone;
          ++p;
        } else {
          element_.clear();
          depth_ = 0;
          in_string_ = false;
          escaped_ = false;
          scalar_ = *p != '{' && *p != '[';
          state_ = State::kInElement;
        }
        break;
      case State::kInElement: {
        const char* start = p;
        bool done = false;
        while (p < end && !done) {
          if (in_string_) {
            if (escaped_) {
              escaped_ = false;
              ++p;
              continue;
            }
            // Most of LINSTOR's JSON is string text: jump to the next quote or backslash.
            const char* q =
                static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
            const char* stop = q == nullptr ? end : q;
            const char* b =
                static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(stop - p)));
            if (b != nullptr) {
              escaped_ = true;
              p = b + 1;
            } else if (q != nullptr) {
              in_string_ = false;
              p = q + 1;
              if (scalar_ && depth_ == 0) done = true;
            } else {
              p = end;
            }
            continue;
          }
          const char c = *p;
          if (c == '"') {
            in_string_ = true;
            ++p;
          } else if (c == '{' || c == '[') {
            ++depth_;
            ++p;
          } else if (c == '}' || c == ']') {
            if (depth_ == 0) {
              done = true;  // a scalar element ended by the array's ']': not consumed
            } else {
              --depth_;
              ++p;
              if (depth_ == 0 && !scalar_) done = true;
            }
          } else if (scalar_ && depth_ == 0 && (c == ',' || IsSpace(c))) {
            done = true;  // not consumed
          } else {
            ++p;
          }
        }
        element_.append(start, static_cast<size_t>(p - start));
        if (done && !EmitElement()) return false;
        break;
      }
    }
  }
  return state_ != State::kFailed;
}

Status JsonArrayStream::Finish() {
  if (state_ == State::kFailed) return status_;
  if (state_ != State::kDone)
    return InvalidArgument("JSON: the array ends early (truncated answer)");
  return Status::Ok();
}

}  // namespace lcsi::linstor
