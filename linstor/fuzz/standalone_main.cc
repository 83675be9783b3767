// Standalone driver for LLVMFuzzerTestOneInput (gcc builds, CI): runs every file of
// a seed corpus directory, then N seeded pseudo-random mutations of them.
//   usage: <binary> CORPUS_DIR [ITERATIONS=20000] [SEED=1]
// Exit status 0 when every input ran; a crash aborts the process (and fails ctest).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// JSON fragments that steer mutations into interesting shapes.
const char* const kTokens[] = {"{",
                               "}",
                               "[",
                               "]",
                               ",",
                               ":",
                               "\"",
                               "null",
                               "true",
                               "false",
                               "-1",
                               "1e308",
                               "0.5",
                               "\\u0000",
                               "\\",
                               "\"name\":",
                               "\"volumes\":[",
                               "\"props\":{",
                               "\xff",
                               "18446744073709551615",
                               "-9223372036854775809"};

void Feed(const std::string& s) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  const int rounds = 1 + static_cast<int>(rng() % 8);
  for (int r = 0; r < rounds; ++r) {
    const size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (rng() % 7) {
      case 0:  // flip a bit
        if (!s.empty()) s[pos % s.size()] ^= static_cast<char>(1u << (rng() % 8));
        break;
      case 1:  // random byte
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<char>(rng() & 0xFF));
        break;
      case 2: {  // delete a range
        if (s.empty()) break;
        const size_t start = pos % s.size();
        s.erase(start, 1 + rng() % std::min<size_t>(16, s.size() - start));
        break;
      }
      case 3:  // insert a JSON token
        s.insert(pos, kTokens[rng() % (sizeof(kTokens) / sizeof(kTokens[0]))]);
        break;
      case 4:  // truncate
        s.resize(pos);
        break;
      case 5: {  // splice with another corpus entry
        const std::string& other = corpus[rng() % corpus.size()];
        if (other.empty()) break;
        const size_t from = rng() % other.size();
        s.insert(pos, other.substr(from, 1 + rng() % 64));
        break;
      }
      case 6: {  // duplicate a range (deep nesting, long arrays)
        if (s.empty()) break;
        const size_t start = pos % s.size();
        const std::string chunk = s.substr(start, 1 + rng() % 32);
        for (int k = 0; k < 1 + static_cast<int>(rng() % 8); ++k) s.insert(start, chunk);
        break;
      }
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [ITERATIONS] [SEED]\n", argv[0]);
    return 2;
  }
  const long iterations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;
  const unsigned long long seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    corpus.push_back(ss.str());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no seed files in %s\n", argv[1]);
    return 2;
  }
  for (const auto& s : corpus) Feed(s);
  std::mt19937_64 rng(seed);
  for (long i = 0; i < iterations; ++i) {
    Feed(Mutate(corpus[rng() % corpus.size()], corpus, rng));
  }
  std::printf("ran %zu seeds and %ld mutations (seed %llu)\n", corpus.size(), iterations, seed);
  return 0;
}
