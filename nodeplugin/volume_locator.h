// VolumeLocator: whether a path holds a given volume. NodeGetVolumeStats and NodeExpandVolume
// name a volume and a path, and the spec answers NOT_FOUND when the volume is not there; an
// unknown volume is NOT_FOUND before anything is said about the path.
//
// What a path holds is read locally first: the stage record of the staging mount that the path
// is, or that it is a bind of (stage_record.h). Only when no record tells (a block volume's
// target, a lost record, a path that is not there) does it ask LINSTOR for the volume's device on
// this satellite and compare device numbers.
#pragma once

#include <optional>
#include <string>

#include "csi/status.h"
#include "nodeplugin/filesystem_seam.h"
#include "nodeplugin/mounter.h"
#include "nodeplugin/path_policy.h"
#include "nodeplugin/satellite_directory.h"

namespace lcsi::node {

// The state of a path found to hold the volume.
struct VolumeAtPath {
  std::string path;                 // canonical
  FileInfo info;                    // Filesystem::Stat of it (sees a bind-mounted device node)
  std::optional<MountEntry> mount;  // the topmost mount at it, if any
};

class VolumeLocator {
 public:
  // All must outlive the locator.
  VolumeLocator(const PathPolicy& policy, Filesystem& files, Mounter& mounter,
                SatelliteDirectory& directory, std::string satellite);

  // OK when `path` holds `volume_id`, or holds nothing that says otherwise (a directory whose
  // mount is gone: the caller reports that). Otherwise, in this order:
  //  - NotFound when this node has no resource of `volume_id` (and no record of it at `path`);
  //  - `bad_path_code` with the policy's reason when `path` is not an acceptable path;
  //  - NotFound when `path` does not exist or holds another volume.
  // LINSTOR errors other than not-found pass through (e.g. Unavailable).
  Result<VolumeAtPath> Locate(const std::string& volume_id, const std::string& path,
                              Code bad_path_code) const;

 private:
  // The volume the stage record of what `at` holds names; nullopt when no record tells.
  std::optional<std::string> RecordedVolume(const VolumeAtPath& at) const;
  // NotFound unless the device LINSTOR reports for the volume is what `at` holds.
  Status SameDevice(const std::string& volume_id, const std::string& device,
                    const VolumeAtPath& at) const;

  const PathPolicy& policy_;
  Filesystem& files_;
  Mounter& mounter_;
  SatelliteDirectory& directory_;
  const std::string satellite_;
};

}  // namespace lcsi::node
