// Input sources for ingest: expands the paths given on the command line (files,
// directories walked recursively in name order, "-" for standard input) and reads each
// one as a byte stream, gunzipping `.gz` files. A truncated or damaged gzip stream is an
// error after the bytes that could be read. Not thread-safe.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace cairn::engine {

using storage::Result;
using storage::Status;

struct InputFile {
  std::string path;   ///< "-" for standard input
  uint64_t size = 0;  ///< bytes on disk (compressed size for .gz), 0 for stdin
  bool gzip = false;
  /// Read once, in order, with no size: standard input, a pipe or FIFO (`<(zcat ...)`), a
  /// character device. Never split, fingerprinted or read twice.
  bool stream = false;
};

/// Expands `paths` into files; missing paths are reported in `errors`.
std::vector<InputFile> ExpandInputs(const std::vector<std::string>& paths, std::vector<std::string>* errors);

/// The first `max` bytes of a plain file (fewer when it is shorter).
Result<std::string> ReadHead(const InputFile& file, size_t max);

/// True if `head`, the start of an input, opens with a line that is one whole JSON object.
bool StartsAsNdjson(std::string_view head);

/// Splits a plain file into `parts` byte ranges that start at line starts ([0, a), [a, b),
/// ...); one range when the file is small or compressed. The caller knows that its lines
/// can be read apart.
Result<std::vector<std::pair<uint64_t, uint64_t>>> SplitAtLines(const InputFile& file, int parts,
                                                                uint64_t min_part_bytes);
/// Lines (newlines) in bytes [0, end) of a plain file.
Result<uint64_t> CountLines(const InputFile& file, uint64_t end);

/// Identity of a file's content: its size and CRC-32s of its first and last MiB, in hex.
Result<std::string> Fingerprint(const InputFile& file);

/// True if the plain file `file` is what `fingerprint` was taken of, grown: it is longer,
/// and its first bytes match the fingerprint's size, head and tail, ending at a line end (a
/// log appended to). Sets `old_size` to the size it had.
bool GrewFrom(const InputFile& file, const std::string& fingerprint, uint64_t* old_size);

/// Reads one input as a stream of (decompressed) bytes.
/// A .gz whose output grows past kGzipRatioFloorBytes and more than kMaxGzipRatio times its
/// compressed bytes is a decompression bomb: reading it stops with kLimitReached. Real AWS logs
/// compress 5 to 30 times; zeros compress about 1,000 times.
constexpr uint64_t kMaxGzipRatio = 500;
constexpr uint64_t kGzipRatioFloorBytes = 64u << 20;

class ByteStream {
 public:
  ~ByteStream();
  static Result<ByteStream*> Open(const InputFile& file);
  /// Reads bytes [begin, end) of a plain (not gzip) file.
  static Result<ByteStream*> OpenRange(const InputFile& file, uint64_t begin, uint64_t end);
  /// Appends up to `max` bytes to `out`; 0 at the end. Errors name the file.
  Result<size_t> Read(size_t max, std::string* out);
  /// Bytes a plain file opened whole has gained since its size was taken: Read stops at
  /// that size, so they are not read.
  uint64_t GrewBy() const;
  /// Makes every later Read return 0, as at the end (the ingest stopped).
  void StopReading() { stopped_ = true; }
  /// Puts back bytes read from the start of the stream (after a look at its format): the
  /// next reads return them first.
  void Unread(std::string bytes) { pending_ = std::move(bytes); }
  /// Bytes consumed from disk so far (compressed bytes for .gz), for progress.
  uint64_t disk_bytes() const { return disk_bytes_; }

 private:
  ByteStream() = default;
  std::string path_;
  int fd_ = -1;
  gzFile gz_ = nullptr;
  uint64_t disk_bytes_ = 0;
  bool stopped_ = false;
  bool bounded_ = false;         // a plain file opened whole: end_ is its size when listed
  uint64_t gzip_out_bytes_ = 0;  // decompressed bytes of a .gz so far
  uint64_t offset_ = 0;          // next byte to read (ranges)
  uint64_t end_ = UINT64_MAX;    // end of the range
  std::string pending_;          // put back by Unread
};

}  // namespace cairn::engine
