// File-system primitives for the index: whole-file reads, crash-safe replacement of a
// small file (write temp, fsync, rename, fsync directory), and read-only memory maps.
// Every failure comes back as a Status naming the path. Thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "storage/status.h"

namespace cairn::storage {

Result<std::string> ReadWholeFile(const std::string& path);

/// Writes `data` to `path` so that a crash leaves either the old or the new content.
Status WriteFileAtomically(const std::string& path, std::string_view data);

/// Creates `path` and its parents if missing.
Status MakeDirectories(const std::string& path);

/// A read-only mapping of a whole file; unmapped on destruction. Movable, not copyable.
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  static Result<MappedFile> Open(const std::string& path);
  std::string_view data() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace cairn::storage
