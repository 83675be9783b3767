// Which Linux capabilities this process has (from /proc/self/status), so missing privileges can
// be named in logs and errors instead of surfacing as a bare "Permission denied".
#pragma once

#include <optional>

namespace lcsi::node {

// CAP_SYS_RESOURCE: needed for ext4 online resize (EXT4_IOC_RESIZE_FS).
inline constexpr int kCapSysResource = 24;
// CAP_SYS_ADMIN: needed for mount(2).
inline constexpr int kCapSysAdmin = 21;

// True/false from the effective set; nullopt when it cannot be read.
std::optional<bool> HasEffectiveCapability(int capability);

}  // namespace lcsi::node
