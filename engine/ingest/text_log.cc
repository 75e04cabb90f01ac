#include "engine/ingest/text_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "engine/ingest/cloudfront.h"
#include "engine/ingest/elb_access.h"
#include "engine/ingest/line_reader.h"
#include "engine/ingest/s3_access.h"
#include "engine/ingest/vpc_flow.h"

namespace cairn::engine {

std::vector<std::unique_ptr<TextLogFormat>> TextLogFormats() {
  std::vector<std::unique_ptr<TextLogFormat>> formats;
  formats.push_back(std::make_unique<CloudFrontFormat>());
  formats.push_back(std::make_unique<VpcFlowFormat>());
  formats.push_back(std::make_unique<S3AccessFormat>());
  formats.push_back(std::make_unique<ElbAccessFormat>(ElbAccessFormat::Balancer::kApplication));
  formats.push_back(std::make_unique<ElbAccessFormat>(ElbAccessFormat::Balancer::kNetwork));
  return formats;
}

int MatchTextFormat(std::string_view head, const std::vector<std::unique_ptr<TextLogFormat>>& formats) {
  size_t text = head.find_first_not_of(" \t\r\n");
  if (text == std::string_view::npos || head[text] == '{' || head[text] == '[') return -1;
  for (size_t i = 0; i < formats.size(); ++i)
    if (formats[i]->Matches(head.substr(text))) return static_cast<int>(i);
  return -1;
}

Result<std::vector<std::string>> HeaderLinesBefore(const InputFile& file, uint64_t offset,
                                                   const TextLogFormat& format) {
  std::vector<std::string> headers;  // last first, while walking back
  if (offset == 0 || !format.HasHeaders()) return headers;
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(file.path + ": " + std::strerror(errno));
  constexpr size_t kChunk = 1 << 20;
  std::string buf, carry;  // carry: the start of a line whose beginning is in an earlier chunk
  uint64_t pos = offset;
  bool done = false;
  while (!done && pos > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, pos));
    pos -= n;
    buf.resize(n);
    ssize_t got = ::pread(fd, buf.data(), n, static_cast<off_t>(pos));
    if (got != static_cast<ssize_t>(n)) {
      ::close(fd);
      return Status::IOError(file.path + ": cannot read at byte " + std::to_string(pos));
    }
    buf += carry;
    // Lines of buf from the last back; the first is whole only at the file's start.
    size_t end = buf.size();
    const char mark = format.header_mark();
    while (true) {
      if (mark != 0 && headers.empty()) {
        // Until a header is found, only lines that start with the mark matter: jump to the
        // last mark, then to the end of its line.
        size_t at = end == 0 ? std::string::npos : buf.rfind(mark, end - 1);
        if (at == std::string::npos) {
          end = std::min(end, buf.find('\n'));  // carry only the first line: it may start with one
          break;
        }
        size_t line_end = buf.find('\n', at);
        end = line_end == std::string::npos || line_end > end ? end : line_end;
      }
      size_t nl = end == 0 ? std::string::npos : buf.rfind('\n', end - 1);
      if (nl == std::string::npos && pos > 0) break;
      size_t start = nl == std::string::npos ? 0 : nl + 1;
      std::string_view line(buf.data() + start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) {
        if (format.IsHeaderLine(line)) {
          headers.emplace_back(line);
        } else if (!headers.empty()) {
          done = true;
          break;
        }
      }
      if (nl == std::string::npos) break;
      end = nl;
    }
    carry.assign(buf, 0, done ? 0 : end);
  }
  ::close(fd);
  std::reverse(headers.begin(), headers.end());
  return headers;
}

Status ReadTextLog(ByteStream* stream, TextLogFormat* format, const DelimitedCallbacks& cb,
                   ReadSummary* summary, const std::vector<std::string>& headers) {
  format->StartInput();
  DelimitedRecord record;
  std::string error;
  for (const std::string& line : headers) format->Parse(line, &record, &error);
  return ReadLines(
      stream,
      [&](std::string_view line, uint64_t line_no) {
        if (line.find_first_not_of(" \t") == std::string_view::npos) return;
        switch (format->Parse(line, &record, &error)) {
          case TextLogFormat::Line::kShortRecord:
            if (cb.on_warning) cb.on_warning("line " + std::to_string(line_no), error);
            [[fallthrough]];
          case TextLogFormat::Line::kRecord:
            record.line = line;
            record.line_no = line_no;
            if (cb.on_record) cb.on_record(record);
            break;
          case TextLogFormat::Line::kBad:
            if (cb.on_error) cb.on_error("line " + std::to_string(line_no), error);
            break;
          case TextLogFormat::Line::kHeader:
            break;
        }
      },
      cb.on_progress, summary, cb.on_error);
}

}  // namespace cairn::engine
