#include "base/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lcsi {
namespace {

Status ErrnoError(const std::string& what, int error) {
  std::string message = what + ": " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR) return NotFound(message);
  return Internal(message);
}

Status WriteAll(int fd, std::string_view content, const std::string& name) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("write " + name, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

// Writes, syncs (if asked) and closes the temporary file; the caller removes it on failure.
Status FillTemporary(const std::string& temp, std::string_view content, mode_t mode,
                     Durability durability) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return ErrnoError("create " + temp, errno);
  // A temporary file left by a crash keeps its old mode; O_CREAT does not change it.
  Status status = ::fchmod(fd, mode) == 0 ? Status::Ok() : ErrnoError("chmod " + temp, errno);
  if (status.ok()) status = WriteAll(fd, content, temp);
  if (status.ok() && durability == Durability::kSurvivesMachineCrash && ::fsync(fd) != 0) {
    status = ErrnoError("fsync " + temp, errno);
  }
  if (::close(fd) != 0 && status.ok()) status = ErrnoError("close " + temp, errno);
  return status;
}

Status SyncDirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open directory " + dir, errno);
  Status status = ::fsync(fd) == 0 ? Status::Ok() : ErrnoError("fsync directory " + dir, errno);
  ::close(fd);
  return status;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode,
                           Durability durability) {
  const std::string temp = path + ".tmp";
  Status status = FillTemporary(temp, content, mode, durability);
  if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = ErrnoError("rename " + temp + " to " + path, errno);
  }
  if (!status.ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  // The rename is durable only once the directory entry is.
  if (durability == Durability::kSurvivesMachineCrash) return SyncDirectoryOf(path);
  return Status::Ok();
}

}  // namespace lcsi
