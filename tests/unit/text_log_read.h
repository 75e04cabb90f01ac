// Runs a text log format over a small file for unit tests, keeping copies of what each
// record held (its views die with the reader's buffer), its event and its rebuilt line.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/ingest/text_log.h"
#include "storage/segment_builder.h"
#include "storage/shape.h"
#include "tests/unit/temp_dir.h"

namespace cairn::test {

struct TextLogRecord {
  std::string line;
  uint64_t line_no = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // name, token, for every token
  size_t values = 0;                                        // fields stored (not "-")
  std::vector<std::string> stored;                          // their names in the segment
  std::optional<int64_t> time_us;
  bool verbatim = false;
  std::string rebuilt;  // the shape's rebuild of the line
};

struct TextLogRead {
  std::vector<TextLogRecord> records;
  std::vector<std::string> errors;  // "line 4: ..."
  std::vector<std::string> warnings;  // lines kept in part
};

inline TextLogRead ReadTextLog(engine::TextLogFormat* format, const std::string& name,
                               const std::string& text) {
  std::string path = TempDir(name) + "/log";
  std::ofstream(path) << text;
  auto opened = engine::ByteStream::Open(engine::InputFile{path, text.size(), false});
  REQUIRE(opened.ok());
  std::unique_ptr<engine::ByteStream> stream(opened.value());
  storage::SegmentBuilder builder;
  engine::DelimitedEventBuilder events(&builder);
  TextLogRead read;
  engine::DelimitedCallbacks cb;
  cb.on_record = [&](const engine::DelimitedRecord& r) {
    TextLogRecord rec;
    rec.line = std::string(r.line);
    rec.line_no = r.line_no;
    for (size_t i = 0; i < r.tokens.size(); ++i)
      rec.fields.emplace_back((*r.names)[i], std::string(r.tokens[i]));
    engine::FlatEvent event;
    events.Build(r, format->separator(), &event);
    rec.values = event.values.size();
    for (const auto& v : event.values) rec.stored.push_back(std::string(builder.FieldName(v.field)));
    rec.time_us = format->Time(r);
    rec.verbatim = event.verbatim;
    std::vector<storage::TypedText> values;
    for (const auto& v : event.values) values.push_back({v.type, v.text});
    if (!event.verbatim) storage::RenderShape(event.shape, values, &rec.rebuilt);
    read.records.push_back(std::move(rec));
  };
  cb.on_warning = [&](const std::string& where, const std::string& message) {
    read.warnings.push_back(where + ": " + message);
  };
  cb.on_error = [&](const std::string& where, const std::string& message) {
    read.errors.push_back(where + ": " + message);
  };
  engine::ReadSummary summary;
  CHECK(engine::ReadTextLog(stream.get(), format, cb, &summary).ok());
  CHECK(summary.bytes == text.size());
  return read;
}

}  // namespace cairn::test
