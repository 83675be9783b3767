#include "nodeplugin/zfs_label.h"

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

namespace lcsi::node {

std::optional<int64_t> ZfsNvlistOffset(int64_t device_size, int label) {
  if (label < 0 || label >= kZfsLabels || device_size <= 0) return std::nullopt;
  const int64_t aligned = device_size - device_size % kZfsLabelSize;
  int64_t label_start = label * kZfsLabelSize;
  if (label >= kZfsLabels / 2) {
    if (aligned < kZfsLabels * kZfsLabelSize) return std::nullopt;
    label_start += aligned - kZfsLabels * kZfsLabelSize;
  }
  const int64_t offset = label_start + kZfsNvlistOffsetInLabel;
  if (offset + kZfsLabelReadSize > device_size) return std::nullopt;
  return offset;
}

bool IsZfsNvlistHeader(std::string_view bytes) {
  constexpr size_t kHeaderSize = 12;
  if (bytes.size() < kHeaderSize) return false;
  auto byte = [&](size_t i) { return static_cast<unsigned char>(bytes[i]); };
  constexpr unsigned char kEncodeXdr = 1;
  const bool nvs_header = byte(0) == kEncodeXdr && byte(1) <= 1 && byte(2) == 0 && byte(3) == 0;
  const bool version_0 = byte(4) == 0 && byte(5) == 0 && byte(6) == 0 && byte(7) == 0;
  const bool nvflag =
      byte(8) == 0 && byte(9) == 0 && byte(10) == 0 && (byte(11) == 1 || byte(11) == 2);
  return nvs_header && version_0 && nvflag;
}

Result<ZfsLabelScan> FindZfsLabel(int64_t device_size, const BlockReader& read) {
  std::array<char, kZfsLabelReadSize> page;
  for (int label = 0; label < kZfsLabels; ++label) {
    const std::optional<int64_t> offset = ZfsNvlistOffset(device_size, label);
    if (!offset) continue;
    LCSI_RETURN_IF_ERROR(read(*offset, page));
    if (IsZfsNvlistHeader(std::string_view(page.data(), page.size()))) {
      return ZfsLabelScan{.found = true, .label = label, .offset = *offset};
    }
  }
  return ZfsLabelScan{};
}

BlockReader PreadReader(int fd) {
  return [fd](int64_t offset, std::span<char> buffer) -> Status {
    size_t done = 0;
    while (done < buffer.size()) {
      ssize_t n = ::pread(fd, buffer.data() + done, buffer.size() - done,
                          static_cast<off_t>(offset + static_cast<int64_t>(done)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        return Internal("cannot read " + std::to_string(buffer.size()) + " bytes at offset " +
                        std::to_string(offset) + ": " + std::strerror(errno));
      }
      if (n == 0) {
        return Internal("short read at offset " + std::to_string(offset) +
                        " (device ends before its reported size)");
      }
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  };
}

}  // namespace lcsi::node
