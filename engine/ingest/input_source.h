// Input sources for ingest: expands the paths given on the command line (files,
// directories walked recursively in name order, "-" for standard input) and reads each
// one as a byte stream, gunzipping `.gz` files. A truncated or damaged gzip stream is an
// error after the bytes that could be read. Not thread-safe.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/status.h"

namespace cairn::engine {

using storage::Result;
using storage::Status;

struct InputFile {
  std::string path;  ///< "-" for standard input
  uint64_t size = 0;  ///< bytes on disk (compressed size for .gz), 0 for stdin
  bool gzip = false;
};

/// Expands `paths` into files; missing paths are reported in `errors`.
std::vector<InputFile> ExpandInputs(const std::vector<std::string>& paths, std::vector<std::string>* errors);

/// Identity of a file's content: its size and CRC-32s of its first and last MiB, in hex.
Result<std::string> Fingerprint(const InputFile& file);

/// Reads one input as a stream of (decompressed) bytes.
class ByteStream {
 public:
  ~ByteStream();
  static Result<ByteStream*> Open(const InputFile& file);
  /// Appends up to `max` bytes to `out`; 0 at the end. Errors name the file.
  Result<size_t> Read(size_t max, std::string* out);
  /// Bytes consumed from disk so far (compressed bytes for .gz), for progress.
  uint64_t disk_bytes() const { return disk_bytes_; }

 private:
  ByteStream() = default;
  std::string path_;
  int fd_ = -1;
  gzFile gz_ = nullptr;
  uint64_t disk_bytes_ = 0;
};

}  // namespace cairn::engine
