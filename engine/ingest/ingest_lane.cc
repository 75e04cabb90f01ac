#include "engine/ingest/ingest_lane.h"

#include <algorithm>
#include <iterator>

#include "engine/ingest/cloudwatch_export.h"

namespace cairn::engine {

namespace {
constexpr size_t kMaxBuilderBytes = 768u << 20;
// Fields of one segment: past it the segment is written and a new one begun, so that events
// with ever new field names keep memory bounded (each field costs a few KiB while built).
constexpr size_t kMaxSegmentFields = 50000;
constexpr size_t kPeekBytes = 64 << 10;

// True once `head` holds a whole line with text that is not a directive ("#Fields: ..."
// names what follows: formats need it too).
bool HasFirstDataLine(std::string_view head) {
  size_t start = 0;
  while (true) {
    size_t text = head.find_first_not_of(" \t\r\n", start);
    if (text == std::string_view::npos) return false;
    size_t end = head.find('\n', text);
    if (end == std::string_view::npos) return false;
    if (head[text] != '#') return true;
    start = end + 1;
  }
}

// The text log format of a whole input, or null for JSON or a CloudWatch Logs export (then
// `*export_lines` is set), from its first lines (or 64 KiB); puts the bytes back.
TextLogFormat* PeekFormat(ByteStream* stream, const std::vector<std::unique_ptr<TextLogFormat>>& formats,
                          bool* export_lines) {
  std::string head;
  while (head.size() < kPeekBytes) {
    auto n = stream->Read(kPeekBytes - head.size(), &head);
    if (!n.ok() || n.value() == 0) break;
    if (HasFirstDataLine(head)) break;
  }
  int found = MatchTextFormat(head, formats);
  if (found < 0) {
    size_t text = head.find_first_not_of(" \t\r\n");
    if (text != std::string::npos && head[text] != '{' && head[text] != '[')
      *export_lines = LooksLikeCloudWatchExport(std::string_view(head).substr(text));
  }
  stream->Unread(std::move(head));
  return found < 0 ? nullptr : formats[static_cast<size_t>(found)].get();
}
}  // namespace

IngestLane::IngestLane(const LaneOptions& options, LaneHost* host)
    : options_(options),
      host_(host),
      builder_(std::make_unique<storage::SegmentBuilder>()),
      spare_(std::make_unique<storage::SegmentBuilder>()),
      flattener_(builder_.get()),
      text_formats_(TextLogFormats()),
      text_events_(builder_.get()) {
  if (!options.sourcetype.empty() && !options.time_field.empty())
    flattener_.set_user_format(MakeUserJsonFormat(options.sourcetype, options.time_field),
                               options.time_format);
}

IngestLane::~IngestLane() {
  WaitWrite();
}

void IngestLane::Run() {
  WorkUnit unit;
  while (host_->NextUnit(&unit)) ReadUnit(unit);
  StartWrite();
  WaitWrite();
}

void IngestLane::ReadUnit(const WorkUnit& unit) {
  auto opened =
      unit.whole ? ByteStream::Open(unit.file) : ByteStream::OpenRange(unit.file, unit.begin, unit.end);
  if (!opened.ok()) {
    host_->Error(opened.status().message());
    UnitProgress failed;
    failed.unit = unit.unit;
    failed.input = unit.input;
    failed.finished = true;
    failed.unreadable = true;
    progress_.push_back(failed);
    return;
  }
  std::unique_ptr<ByteStream> stream(opened.value());
  unit_ = &unit;
  stream_ = stream.get();
  lines_before_unit_.reset();
  progress_.push_back({unit.unit, unit.input});
  uint64_t reported_disk = 0, skipped = 0;
  ReadCallbacks cb;
  cb.on_event = [&](const EventText& ev) {
    if (skipped < unit.skip_records) {
      ++skipped;  // committed by an earlier ingest that stopped before the end
      return;
    }
    AddEvent(ev, unit.file.path);
  };
  cb.on_log_event = [&](const LogEvent& ev) {
    if (skipped < unit.skip_records) {
      ++skipped;
      return;
    }
    AddLogEvent(ev, unit.file.path);
  };
  cb.on_error = [&](const std::string& where, const std::string& msg) {
    host_->Error(unit.file.path + ":" + FileWhere(where) + ": " + msg);
  };
  cb.on_progress = [&](uint64_t disk) {
    host_->Progress(disk - reported_disk, 0);
    reported_disk = disk;
  };
  ReadSummary summary;
  storage::Status s;
  bool export_lines = false;
  TextLogFormat* text_format = nullptr;
  std::vector<std::string> headers;  // of a text log before this part
  if (unit.whole) {
    text_format = PeekFormat(stream.get(), text_formats_, &export_lines);
  } else if (unit.text_format >= 0) {
    text_format = text_formats_[static_cast<size_t>(unit.text_format)].get();
    auto before = HeaderLinesBefore(unit.file, unit.begin, *text_format);
    if (before.ok()) {
      headers = std::move(before.value());
    } else {
      host_->Error(before.status().message());
    }
  }
  if (export_lines) {
    s = ReadCloudWatchExport(stream.get(), cb, &summary);
  } else if (text_format == nullptr) {
    s = reader_.Read(stream.get(), cb, &summary, 1, !unit.whole);
  } else {
    DelimitedCallbacks dcb;
    dcb.on_record = [&](const DelimitedRecord& record) {
      if (skipped < unit.skip_records) {
        ++skipped;
        return;
      }
      ++progress_.back().records;
      text_events_.Build(record, text_format->separator(), &flat_);
      flat_.time_us = text_format->Time(record);
      AddFlatEvent(
          record.line, unit.file.path,
          options_.sourcetype.empty() ? std::string_view(text_format->sourcetype()) : options_.sourcetype);
    };
    dcb.on_error = cb.on_error;
    dcb.on_warning = [&](const std::string& where, const std::string& msg) {
      host_->Warning(unit.file.path + ":" + FileWhere(where) + ": " + msg);
    };
    dcb.on_progress = cb.on_progress;
    s = ReadTextLog(stream.get(), text_format, dcb, &summary, headers);
  }
  stream_ = nullptr;
  if (host_->Stopped()) return;
  if (uint64_t grew = stream->GrewBy(); grew > 0)
    host_->Warning(
        unit.file.path + ": grew by " + std::to_string(grew) + " bytes while it was read: its first " +
        std::to_string(unit.file.size) +
        " bytes (its size when the ingest began) are ingested; ingest it again to add the rest");  // the unit
                                                                                                   // is not
                                                                                                   // finished:
                                                                                                   // what is
                                                                                                   // committed
                                                                                                   // of it is
                                                                                                   // in the
                                                                                                   // manifest
  if (!s.ok()) host_->Error(s.message());
  UnitProgress& p = progress_.back();
  p.finished = true;
  p.read_bytes = summary.bytes;
  p.digest |= summary.digest;
  counts_.bytes += summary.bytes;
}

void IngestLane::AddEvent(const EventText& ev, const std::string& path) {
  ++progress_.back().records;
  AddEventText(ev, path, 0);
}

void IngestLane::AddEventText(const EventText& ev, const std::string& path, int depth) {
  std::string error;
  if (!flattener_.Flatten(ev.data, ev.size, ev.capacity, &flat_, &error, ev.records)) {
    // Firehose writes records back to back: `{...}{...}` on one line.
    std::vector<std::string_view> pieces;
    if (depth == 0 && SplitConcatenatedJson(std::string_view(ev.data, ev.size), &pieces)) {
      for (std::string_view piece : pieces)
        AddEventText({piece.data(), piece.size(), ev.capacity - static_cast<size_t>(piece.data() - ev.data),
                      ev.line, ev.records},
                     path, 1);
      return;
    }
    host_->Error(path + ":" + std::to_string(FileLine(ev.line)) + ": malformed JSON: " + error);
    return;
  }
  if (flat_.digest) {
    progress_.back().digest = true;
    return;
  }
  if (!flat_.warning.empty())
    host_->Warning(path + ":" + std::to_string(FileLine(ev.line)) + ": " + flat_.warning);
  std::vector<std::string_view> findings;
  if (depth < 2 && flat_.format->name() == "securityhub-eventbridge" && FindingsOf(ev, &findings)) {
    for (std::string_view finding : findings)
      AddEventText({finding.data(), finding.size(),
                    ev.capacity - static_cast<size_t>(finding.data() - ev.data), ev.line, false},
                   path, 2);
    return;
  }
  AddFlatEvent(
      std::string_view(ev.data, ev.size), path,
      options_.sourcetype.empty() ? std::string_view(flat_.format->sourcetype()) : options_.sourcetype);
}

bool IngestLane::FindingsOf(const EventText& ev, std::vector<std::string_view>* findings) {
  namespace od = simdjson::ondemand;
  od::document doc;
  od::object envelope, detail;
  if (envelope_parser_.iterate(ev.data, ev.size, ev.capacity).get(doc) || doc.get_object().get(envelope) ||
      envelope.find_field_unordered("detail").get_object().get(detail))
    return false;
  od::array arr;
  if (detail.find_field_unordered("findings").get_array().get(arr)) return false;
  for (auto element : arr) {
    od::object finding;
    std::string_view raw;
    if (element.get_object().get(finding) || finding.raw_json().get(raw)) return false;
    findings->push_back(raw);
  }
  return !findings->empty();
}

void IngestLane::AddLogEvent(const LogEvent& ev, const std::string& path) {
  ++progress_.back().records;
  std::string_view message = ev.message;
  std::string_view sourcetype = kCloudWatchLogsSourcetype;
  bool parsed = false;
  size_t text = message.find_first_not_of(" \t\r\n");
  if (text != std::string_view::npos && message[text] == '{') {
    message_.assign(message);
    message_.append(simdjson::SIMDJSON_PADDING, '\0');
    std::string error;
    parsed =
        flattener_.Flatten(message_.data(), message.size(), message_.size(), &flat_, &error) && !flat_.digest;
    // A known format keeps its sourcetype (CloudTrail sent to CloudWatch Logs is CloudTrail).
    if (parsed && flat_.format->sourcetype() != "_json") sourcetype = flat_.format->sourcetype();
  }
  if (!parsed) {
    std::string error;
    log_vpc_flow_.StartInput();
    if (log_vpc_flow_.Parse(message, &log_record_, &error) == TextLogFormat::Line::kRecord) {
      log_record_.line = message;
      text_events_.Build(log_record_, log_vpc_flow_.separator(), &flat_);
      flat_.time_us = log_vpc_flow_.Time(log_record_);
      sourcetype = kVpcFlowSourcetype;
      parsed = true;
    }
  }
  if (!parsed) {
    // Plain text: kept as it is, searchable by its terms.
    flat_.shape.clear();
    flat_.values.clear();
    flat_.verbatim = true;
    flat_.time_us.reset();
  }
  // The time the message carries (an eventTime, a flow's start), else the log event's.
  if (!flat_.time_us && ev.timestamp_ms) flat_.time_us = *ev.timestamp_ms * 1000;
  auto meta = [&](MetaField field, std::string_view value) {
    if (!value.empty()) flat_.values.push_back({MetaId(field), storage::ValueType::kString, value});
  };
  meta(kLogGroup, ev.log_group);
  meta(kLogStream, ev.log_stream);
  meta(kOwner, ev.owner);
  meta(kLogEventId, ev.id);
  AddFlatEvent(message, path,
               options_.sourcetype.empty() ? sourcetype : std::string_view(options_.sourcetype));
}

void IngestLane::AddFlatEvent(std::string_view raw, const std::string& path, std::string_view sourcetype) {
  storage::SegmentBuilder& builder = *builder_;
  if (!flat_.time_us) ++counts_.untimed_events;
  flat_.values.push_back({MetaId(kSource), storage::ValueType::kString,
                          options_.source.empty() ? std::string_view(path) : options_.source});
  flat_.values.push_back({MetaId(kSourcetype), storage::ValueType::kString, sourcetype});
  flat_.values.push_back({MetaId(kIndex), storage::ValueType::kString, options_.index_name});
  if (flat_.verbatim) ++counts_.verbatim_events;
  builder.Add(flat_.time_us.value_or(options_.now_us), flat_.verbatim ? std::string_view() : flat_.shape,
              flat_.values, flat_.verbatim ? raw : std::string_view());
  ++counts_.events;
  ++progress_.back().events;
  progress_.back().event_bytes += raw.size();
  if ((counts_.events & 1023) == 0) host_->Progress(0, 1024);
  if (builder.rows() >= options_.segment_rows || builder.memory_bytes() >= kMaxBuilderBytes ||
      builder.field_count() >= kMaxSegmentFields) {
    // The unit goes on in the next segment.
    UnitProgress next{progress_.back().unit, progress_.back().input};
    StartWrite();
    progress_.push_back(next);
  }
}

uint32_t IngestLane::MetaId(MetaField field) {
  if (meta_builder_ != builder_.get() || meta_generation_ != builder_->generation()) {
    std::fill(std::begin(meta_ids_), std::end(meta_ids_), UINT32_MAX);
    meta_builder_ = builder_.get();
    meta_generation_ = builder_->generation();
  }
  if (meta_ids_[field] == UINT32_MAX) {
    // Named when first used: a segment has only the fields its events have.
    static constexpr const char* kNames[kMetaFields] = {"source",    "sourcetype", "index",     "logGroup",
                                                        "logStream", "owner",      "logEventId"};
    meta_ids_[field] = builder_->FieldId(kNames[field], true);
  }
  return meta_ids_[field];
}

std::string IngestLane::FileWhere(const std::string& where) {
  // Parts of a file number their lines from their start: make them the file's.
  if (unit_ == nullptr || unit_->whole || where.rfind("line ", 0) != 0) return where;
  return "line " + std::to_string(FileLine(std::stoull(where.substr(5))));
}

uint64_t IngestLane::FileLine(uint64_t unit_line) {
  if (unit_ == nullptr || unit_->whole || unit_->begin == 0) return unit_line;
  if (!lines_before_unit_) {
    auto lines = CountLines(unit_->file, unit_->begin);
    lines_before_unit_ = lines.ok() ? lines.value() : 0;
  }
  return *lines_before_unit_ + unit_line;
}

void IngestLane::StartWrite() {
  WaitWrite();
  if (host_->Stopped()) {
    // Nothing more is written or committed; the events read since the last commit are
    // read again by the next ingest.
    if (stream_ != nullptr) stream_->StopReading();
    progress_.clear();
    return;
  }
  if (builder_->rows() == 0) {
    // Nothing to write, but finished units (digests, empty files) still need committing.
    if (!progress_.empty()) host_->SegmentWritten("", {}, progress_);
    progress_.clear();
    return;
  }
  std::string path = host_->NewSegment(&write_name_);
  write_units_.clear();
  for (const UnitProgress& p : progress_) write_units_.push_back(p);
  progress_.clear();
  if (!options_.async_write) {
    // The same builder again: its memory is already mapped.
    write_status_ = builder_->Finish(path, &write_stats_);
    flattener_.set_builder(builder_.get());  // its field ids are gone
    text_events_.set_builder(builder_.get());
    WaitWrite();
    return;
  }
  std::swap(builder_, spare_);
  flattener_.set_builder(builder_.get());
  text_events_.set_builder(builder_.get());
  storage::SegmentBuilder* full = spare_.get();
  writer_ = std::thread([this, full, path]() { write_status_ = full->Finish(path, &write_stats_); });
}

void IngestLane::WaitWrite() {
  if (writer_.joinable()) writer_.join();
  if (write_name_.empty()) return;
  if (!write_status_.ok()) {
    host_->WriteFailed(write_status_.ToString());
  } else {
    host_->SegmentWritten(write_name_, write_stats_, write_units_);
  }
  write_name_.clear();
  write_units_.clear();
}

}  // namespace cairn::engine
