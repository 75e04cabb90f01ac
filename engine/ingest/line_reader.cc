#include "engine/ingest/line_reader.h"

#include <cstring>
#include <string>

namespace cairn::engine {

namespace {
constexpr size_t kChunk = 1 << 20;
}

Status ReadLines(ByteStream* stream,
                 const std::function<void(std::string_view line, uint64_t line_no)>& on_line,
                 const std::function<void(uint64_t disk_bytes)>& on_progress, ReadSummary* summary) {
  *summary = ReadSummary();
  std::string buf;
  size_t start = 0;  // of the first unfinished line in buf
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
    bool whole_tail = n.ok() && n.value() == 0;
    if (n.ok()) summary->bytes += n.value();
    if (on_progress) on_progress(stream->disk_bytes());
    while (true) {
      const void* nl = std::memchr(buf.data() + start, '\n', buf.size() - start);
      if (nl == nullptr && !(whole_tail && start < buf.size())) break;
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - buf.data()) : buf.size();
      std::string_view line(buf.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line, ++line_no);
      start = nl ? end + 1 : buf.size();
    }
  }
  return status;
}

}  // namespace cairn::engine
