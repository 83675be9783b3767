#include "test/fuzz/mutator.h"

#include <algorithm>
#include <array>

namespace lcsi::fuzz {
namespace {

// Bytes that tend to break parsers: separators, quotes, NUL, high bytes, digits at the edges.
constexpr std::array<char, 16> kInteresting = {'\0', '\n', ' ', ':',    '/', '"', '\'', '#',
                                               '\\', '{',  '}', '\xff', '0', '9', '-',  '\x7f'};

}  // namespace

Mutator::Mutator(uint64_t seed, std::vector<std::string> dictionary)
    : rng_(seed), dictionary_(std::move(dictionary)) {}

size_t Mutator::Below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

std::string Mutator::Mutate(const std::string& input, const std::string& other, size_t max_len) {
  std::string data = input;
  size_t count = 1 + Below(4);
  for (size_t i = 0; i < count; ++i) MutateOnce(data, other);
  if (data.size() > max_len) data.resize(max_len);
  return data;
}

void Mutator::MutateOnce(std::string& data, const std::string& other) {
  enum Kind {
    kFlipBit,
    kSetByte,
    kInsertBytes,
    kEraseRange,
    kDuplicateRange,
    kSplice,
    kToken,
    kTruncate,
    kKinds
  };
  switch (static_cast<Kind>(Below(kKinds))) {
    case kFlipBit:
      if (!data.empty()) data[Below(data.size())] ^= static_cast<char>(1u << Below(8));
      break;
    case kSetByte:
      if (!data.empty()) {
        data[Below(data.size())] =
            Below(2) ? kInteresting[Below(kInteresting.size())] : static_cast<char>(Below(256));
      }
      break;
    case kInsertBytes: {
      size_t n = 1 + Below(8);
      std::string bytes;
      for (size_t i = 0; i < n; ++i) bytes.push_back(static_cast<char>(Below(256)));
      data.insert(Below(data.size() + 1), bytes);
      break;
    }
    case kEraseRange:
      if (!data.empty()) {
        size_t at = Below(data.size());
        data.erase(at, 1 + Below(std::min<size_t>(16, data.size() - at)));
      }
      break;
    case kDuplicateRange:
      if (!data.empty()) {
        size_t at = Below(data.size());
        size_t len = 1 + Below(std::min<size_t>(32, data.size() - at));
        data.insert(Below(data.size() + 1), data.substr(at, len));
      }
      break;
    case kSplice:
      if (!other.empty()) {
        size_t from = Below(other.size());
        data = data.substr(0, Below(data.size() + 1)) + other.substr(from);
      }
      break;
    case kToken:
      if (!dictionary_.empty()) {
        data.insert(Below(data.size() + 1), dictionary_[Below(dictionary_.size())]);
      }
      break;
    case kTruncate:
      data.resize(Below(data.size() + 1));
      break;
    case kKinds:
      break;
  }
}

}  // namespace lcsi::fuzz
