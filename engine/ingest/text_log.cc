#include "engine/ingest/text_log.h"

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

Status ReadTextLog(ByteStream* stream, TextLogFormat* format, const DelimitedCallbacks& cb,
                   ReadSummary* summary) {
  format->StartInput();
  DelimitedRecord record;
  std::string error;
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
      cb.on_progress, summary);
}

}  // namespace cairn::engine
