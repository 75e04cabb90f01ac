#include "engine/ingest/line_reader.h"

#include <cstring>
#include <string>

namespace cairn::engine {

namespace {
constexpr size_t kChunk = 1 << 20;
}

Status ReadLines(ByteStream* stream,
                 const std::function<void(std::string_view line, uint64_t line_no)>& on_line,
                 const std::function<void(uint64_t disk_bytes)>& on_progress, ReadSummary* summary,
                 const std::function<void(const std::string& where, const std::string& message)>& on_error) {
  *summary = ReadSummary();
  std::string buf;
  size_t start = 0;       // of the first unfinished line in buf
  size_t scanned = 0;     // bytes of that line already searched for a newline
  bool skipping = false;  // inside a line longer than kMaxLineBytes: dropped as it is read
  uint64_t line_no = 0;
  Status status;
  bool eof = false;
  while (!eof) {
    buf.erase(0, start);
    start = 0;
    auto n = stream->Read(kChunk, &buf);
    if (!n.ok()) status = n.status();
    eof = !n.ok() || n.value() == 0;
    // A last line without a newline counts only when the stream ended cleanly: after a read
    // error it may be cut short.
    bool whole_tail = n.ok() && n.value() == 0 && !skipping;
    if (n.ok()) summary->bytes += n.value();
    if (on_progress) on_progress(stream->disk_bytes());
    while (true) {
      const void* nl = std::memchr(buf.data() + start + scanned, '\n', buf.size() - start - scanned);
      if (nl == nullptr && !(whole_tail && start < buf.size())) {
        scanned = buf.size() - start;
        break;
      }
      scanned = 0;
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
      ++line_no;
      if (skipping) {
        skipping = false;
      } else {
        std::string_view line(buf.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        on_line(line, line_no);
      }
      start = nl ? end + 1 : buf.size();
    }
    if (buf.size() - start > kMaxLineBytes || (skipping && start < buf.size())) {
      if (!skipping && on_error)
        on_error("line " + std::to_string(line_no + 1), "longer than " + std::to_string(kMaxLineBytes >> 20) +
                                                            " MiB, cairn's limit for one event: skipped");
      skipping = true;
      start = buf.size();
      scanned = 0;
    }
  }
  return status;
}

}  // namespace cairn::engine
