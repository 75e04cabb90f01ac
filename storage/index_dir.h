// IndexDir: one index directory on disk (default ./cairn-data): its manifest, the paths
// of its segments, a writer lock (flock on LOCK) so that two ingests never interleave,
// and Commit, which atomically publishes a new manifest. Not thread-safe.
#pragma once

#include <string>

#include "storage/manifest.h"
#include "storage/status.h"

namespace cairn::storage {

class IndexDir {
 public:
  ~IndexDir();
  IndexDir(IndexDir&& other) noexcept;
  IndexDir(const IndexDir&) = delete;
  IndexDir& operator=(const IndexDir&) = delete;

  /// Opens `path` for reading; NotFound if there is no index there.
  static Result<IndexDir> OpenForRead(const std::string& path);
  /// Opens or creates `path` and takes the writer lock; removes what an ingest that was
  /// killed or stopped left behind (temporary files, segments no manifest lists).
  static Result<IndexDir> OpenForWrite(const std::string& path);

  const std::string& path() const { return path_; }
  const Manifest& manifest() const { return manifest_; }
  std::string SegmentPath(const std::string& file) const { return path_ + "/" + file; }
  /// A new segment file name (advances next_segment in the pending manifest).
  std::string NewSegmentName(Manifest* pending) const;
  /// Publishes `next` as the manifest.
  Status Commit(const Manifest& next);

 private:
  IndexDir() = default;
  void RemoveLeftovers() const;
  std::string path_;
  Manifest manifest_;
  int lock_fd_ = -1;
};

}  // namespace cairn::storage
