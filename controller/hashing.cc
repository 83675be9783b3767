#include "controller/hashing.h"

#include <openssl/evp.h>

#include <algorithm>

namespace lcsi::controller {

std::string Sha256Hex(std::string_view data, size_t hex_chars) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  out.resize(std::min(hex_chars, out.size()));
  return out;
}

}  // namespace lcsi::controller
