#include "storage/index_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "storage/file_io.h"

namespace cairn::storage {

IndexDir::~IndexDir() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

IndexDir::IndexDir(IndexDir&& other) noexcept
    : path_(std::move(other.path_)), manifest_(std::move(other.manifest_)), lock_fd_(other.lock_fd_) {
  other.lock_fd_ = -1;
}

Result<IndexDir> IndexDir::OpenForRead(const std::string& path) {
  std::string mpath = path + "/" + kManifestFile;
  auto text = ReadWholeFile(mpath);
  if (!text.ok()) {
    if (text.status().code() != Status::Code::kNotFound) return text.status();
    // An ingest began here (its LOCK is made first) but committed nothing yet, or was killed
    // before its first commit: an index with no segments.
    // An empty directory is where an ingest was stopped between making it and its LOCK.
    std::error_code ec;
    bool begun = std::filesystem::exists(path + "/LOCK", ec) ||
                 (std::filesystem::is_directory(path, ec) && std::filesystem::is_empty(path, ec));
    if (!begun) return Status::NotFound("no index at " + path + " (run `cairn ingest` first)");
    IndexDir dir;
    dir.path_ = path;
    return dir;
  }
  IndexDir dir;
  dir.path_ = path;
  Status s = Manifest::Decode(text.value(), mpath, &dir.manifest_);
  if (!s.ok()) return s;
  return dir;
}

Result<IndexDir> IndexDir::OpenForWrite(const std::string& path) {
  Status s = MakeDirectories(path);
  if (!s.ok()) return s;
  IndexDir dir;
  dir.path_ = path;
  std::string lock_path = path + "/LOCK";
  dir.lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (dir.lock_fd_ < 0) return Status::IOError("cannot open " + lock_path + ": " + std::strerror(errno));
  if (::flock(dir.lock_fd_, LOCK_EX | LOCK_NB) != 0)
    return Status::IOError("index " + path + " is locked by another cairn ingest");
  std::string mpath = path + "/" + kManifestFile;
  auto text = ReadWholeFile(mpath);
  if (text.ok()) {
    s = Manifest::Decode(text.value(), mpath, &dir.manifest_);
    if (!s.ok()) return s;
  } else if (text.status().code() != Status::Code::kNotFound) {
    return text.status();
  }
  dir.RemoveLeftovers();
  return dir;
}

void IndexDir::RemoveLeftovers() const {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(path_, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    const std::string name = entry.path().filename().string();
    const bool temporary = name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0;
    const bool segment = IsSegmentFileName(name);
    if (!temporary && !segment) continue;
    if (segment && std::any_of(manifest_.segments.begin(), manifest_.segments.end(),
                               [&](const SegmentInfo& s) { return s.file == name; }))
      continue;
    std::filesystem::remove(entry.path(), ec);
  }
}

std::string IndexDir::NewSegmentName(Manifest* pending) const {
  char name[64];
  std::snprintf(name, sizeof name, "seg-%06llu.cseg", static_cast<unsigned long long>(pending->next_segment++));
  return name;
}

Status IndexDir::Commit(const Manifest& next) {
  Status s = WriteFileAtomically(path_ + "/" + kManifestFile, next.Encode());
  if (s.ok()) manifest_ = next;
  return s;
}

}  // namespace cairn::storage
