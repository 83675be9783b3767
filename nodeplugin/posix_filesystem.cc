#include "nodeplugin/posix_filesystem.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "base/read_file.h"
#include "nodeplugin/path_policy.h"

namespace lcsi::node {
namespace {

bool IsAbsent(int error) { return error == ENOENT || error == ENOTDIR; }

// The status for a failed system call on `path`, with the code its errno means here.
Status ErrnoStatus(const std::string& call, const std::string& path, int error) {
  std::string message = call + " " + path + ": " + std::strerror(error);
  if (IsAbsent(error)) return NotFound(message);
  if (error == EEXIST) return AlreadyExists(message);
  if (error == ENOTEMPTY) return FailedPrecondition(message);
  return Internal(message);
}

FileInfo ToFileInfo(const struct stat& st) {
  FileInfo info;
  if (S_ISREG(st.st_mode)) {
    info.type = FileType::kRegular;
  } else if (S_ISDIR(st.st_mode)) {
    info.type = FileType::kDirectory;
  } else if (S_ISLNK(st.st_mode)) {
    info.type = FileType::kSymlink;
  } else if (S_ISBLK(st.st_mode)) {
    info.type = FileType::kBlockDevice;
  }
  info.size = static_cast<int64_t>(st.st_size);
  info.device_number = st.st_rdev;
  return info;
}

template <typename StatFn>
Result<std::optional<FileInfo>> StatWith(StatFn fn, const char* call, const std::string& path) {
  struct stat st;
  if (fn(path.c_str(), &st) == 0) return std::optional<FileInfo>(ToFileInfo(st));
  if (IsAbsent(errno)) return std::optional<FileInfo>();
  return ErrnoStatus(call, path, errno);
}

}  // namespace

Result<std::optional<FileInfo>> PosixFilesystem::Lstat(const std::string& path) {
  return StatWith(::lstat, "lstat", path);
}

Result<std::optional<FileInfo>> PosixFilesystem::Stat(const std::string& path) {
  return StatWith(::stat, "stat", path);
}

Result<FsUsage> PosixFilesystem::Statfs(const std::string& path) {
  struct statfs fs;
  if (::statfs(path.c_str(), &fs) != 0) return ErrnoStatus("statfs", path, errno);
  FsUsage usage;
  usage.block_size = static_cast<int64_t>(fs.f_frsize ? fs.f_frsize : fs.f_bsize);
  usage.blocks = fs.f_blocks;
  usage.blocks_free = fs.f_bfree;
  usage.blocks_available = fs.f_bavail;
  usage.files = fs.f_files;
  usage.files_free = fs.f_ffree;
  return usage;
}

Result<std::string> PosixFilesystem::RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  if (!resolved) return ErrnoStatus("realpath", path, errno);
  return std::string(resolved.get());
}

Status PosixFilesystem::MkdirAll(const std::string& path, mode_t mode) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::Ok();
    return FailedPrecondition(path + " exists and is not a directory");
  }
  std::string prefix;
  for (std::string_view name : PathComponents(path)) {
    prefix += "/";
    prefix += name;
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      if (errno == ENOTDIR) {
        return FailedPrecondition("mkdir " + prefix + ": a parent is not a directory");
      }
      return Internal("mkdir " + prefix + ": " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

Status PosixFilesystem::Create(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return ErrnoStatus("create", path, errno);
  ::close(fd);
  return Status::Ok();
}

Status PosixFilesystem::Remove(const std::string& path) {
  if (::unlink(path.c_str()) == 0 || IsAbsent(errno)) return Status::Ok();
  if (errno != EISDIR) return ErrnoStatus("unlink", path, errno);
  if (::rmdir(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return ErrnoStatus("rmdir", path, errno);
}

Status PosixFilesystem::WriteFileAtomically(const std::string& path, std::string_view content,
                                            mode_t mode, Durability durability) {
  return lcsi::WriteFileAtomically(path, content, mode, durability);
}

Result<std::string> PosixFilesystem::ReadFile(const std::string& path) {
  return lcsi::ReadWholeFile(path);
}

}  // namespace lcsi::node
