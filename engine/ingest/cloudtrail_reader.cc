#include "engine/ingest/cloudtrail_reader.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace cairn::engine {

namespace od = simdjson::ondemand;

namespace {
constexpr size_t kChunk = 8 << 20;

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// Line number (1-based) of byte `offset` in `text`.
uint64_t LineOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<uint64_t>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// A log event of a CloudWatch Logs document, its strings copied out of the parser.
struct OwnedLogEvent {
  std::string message, id, log_stream;
  std::optional<int64_t> timestamp_ms;
};

// Reads the log events of a `logEvents` or `events` array; false if an element is not one
// (an object with a string `message`).
bool ReadLogEvents(od::array arr, std::vector<OwnedLogEvent>* out) {
  for (auto element : arr) {
    od::object obj;
    if (element.get_object().get(obj)) return false;
    OwnedLogEvent ev;
    bool has_message = false;
    for (auto field : obj) {
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      od::value v;
      if (field.value().get(v)) return false;
      if (key == "message") {
        std::string_view m;
        if (v.get_string().get(m)) return false;
        ev.message.assign(m);
        has_message = true;
      } else if (key == "timestamp") {
        int64_t t;
        if (!v.get_int64().get(t)) ev.timestamp_ms = t;
      } else if (key == "id" || key == "eventId") {
        std::string_view id;
        if (!v.get_string().get(id)) ev.id.assign(id);
      } else if (key == "logStreamName") {
        std::string_view name;
        if (!v.get_string().get(name)) ev.log_stream.assign(name);
      }
    }
    if (!has_message) return false;
    out->push_back(std::move(ev));
  }
  return true;
}

// Walks a parsed document and emits events: the elements of a Records wrapper, of an
// array or of a Security Hub envelope's detail.findings, or the object itself. Returns an error message,
// empty on success.
std::string EmitDocument(od::document& doc, const char* base, size_t base_capacity, uint64_t base_line,
                         std::string_view whole, const ReadCallbacks& cb, bool* digest) {
  od::json_type type;
  if (auto err = doc.type().get(type)) return simdjson::error_message(err);
  // Lines are counted incrementally: events come in document order.
  size_t counted_to = 0;
  uint64_t line_at = base_line;
  auto emit_elements = [&](od::array arr, bool records) -> std::string {
    for (auto element : arr) {
      od::object obj;
      if (auto err = element.get_object().get(obj)) {
        return err == simdjson::INCORRECT_TYPE ? std::string("a record is not a JSON object")
                                               : simdjson::error_message(err);
      }
      std::string_view raw;
      if (auto err = obj.raw_json().get(raw)) return simdjson::error_message(err);
      size_t offset = static_cast<size_t>(raw.data() - base);
      size_t upto = std::min(offset, whole.size());
      if (upto > counted_to) {
        line_at += static_cast<uint64_t>(std::count(whole.begin() + static_cast<long>(counted_to),
                                                    whole.begin() + static_cast<long>(upto), '\n'));
        counted_to = upto;
      }
      cb.on_event({raw.data(), raw.size(), base_capacity - offset, line_at, records});
    }
    return "";
  };
  if (type == od::json_type::array) {
    od::array arr;
    if (auto err = doc.get_array().get(arr)) return simdjson::error_message(err);
    return emit_elements(arr, false);
  }
  if (type != od::json_type::object) return "not a JSON object or array";
  od::object obj;
  if (auto err = doc.get_object().get(obj)) return simdjson::error_message(err);
  bool wrapper = false;
  // A CloudWatch Logs document: its members, and its log events until it is known to be one.
  std::string message_type, log_group, log_stream, owner;
  std::vector<OwnedLogEvent> log_events;
  bool log_document = false, not_log_events = false;
  auto copy_string = [](od::value v, std::string* out) {
    std::string_view text;
    if (!v.get_string().get(text)) out->assign(text);
  };
  for (auto field : obj) {
    std::string_view key;
    if (auto err = field.unescaped_key().get(key)) return simdjson::error_message(err);
    if (key == "messageType" || key == "logGroup" || key == "logStream" || key == "owner") {
      od::value v;
      if (field.value().get(v)) continue;
      copy_string(v, key == "messageType" ? &message_type
                     : key == "logGroup"  ? &log_group
                     : key == "logStream" ? &log_stream
                                          : &owner);
      log_document |= key == "messageType";
    } else if ((key == "logEvents" || key == "events") && cb.on_log_event) {
      od::array arr;
      if (field.value().get_array().get(arr) != simdjson::SUCCESS || !ReadLogEvents(arr, &log_events))
        not_log_events = true;
      else
        log_document |= key == "logEvents" || !log_events.empty();
    } else if (key == "searchedLogStreams") {
      log_document = true;
    } else if (key == "Records") {
      od::array arr;
      if (field.value().get_array().get(arr) != simdjson::SUCCESS) return "Records is not an array";
      std::string e = emit_elements(arr, true);
      if (!e.empty()) return e;
      wrapper = true;
    } else if (key == "digestStartTime" || key == "digestS3Bucket") {
      *digest = true;
    } else if (key == "detail") {
      // Security Hub's EventBridge envelope holds findings (ASFF) in detail.findings: one
      // event each.
      od::object detail;
      if (field.value().get_object().get(detail) != simdjson::SUCCESS) continue;
      for (auto member : detail) {
        std::string_view name;
        if (member.unescaped_key().get(name) != simdjson::SUCCESS || name != "findings") continue;
        od::array arr;
        if (member.value().get_array().get(arr) != simdjson::SUCCESS) break;
        std::string e = emit_elements(arr, false);
        if (!e.empty()) return e;
        wrapper = true;
        break;
      }
    }
  }
  if (wrapper) return "";
  if (*digest) return "";
  if (log_document && !not_log_events) {
    if (message_type == "CONTROL_MESSAGE") return "";  // CloudWatch's check that the destination is reachable
    for (const OwnedLogEvent& ev : log_events) {
      std::string_view stream =
          ev.log_stream.empty() ? std::string_view(log_stream) : std::string_view(ev.log_stream);
      cb.on_log_event({ev.message, ev.timestamp_ms, ev.id, log_group, stream, owner, base_line});
    }
    return "";
  }
  // Not a wrapper: the document is one event.
  size_t offset = 0;
  while (offset < whole.size() && IsSpace(whole[offset])) ++offset;
  std::string_view text = whole.substr(offset);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  cb.on_event({text.data(), text.size(), base_capacity - static_cast<size_t>(text.data() - base), base_line});
  return "";
}
}  // namespace

bool SplitConcatenatedJson(std::string_view text, std::vector<std::string_view>* out) {
  std::vector<std::string_view> pieces;
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsSpace(text[i])) ++i;
    if (i == n) break;
    if (text[i] != '{' && text[i] != '[') return false;
    size_t begin = i;
    int depth = 0;
    bool in_string = false;
    for (; i < n; ++i) {
      char c = text[i];
      if (in_string) {
        if (c == '\\')
          ++i;
        else if (c == '"')
          in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        ++i;
        break;
      }
    }
    if (depth != 0) return false;
    pieces.push_back(text.substr(begin, i - begin));
  }
  if (pieces.size() < 2) return false;
  *out = std::move(pieces);
  return true;
}

void CloudTrailReader::HandleLine(const char* p, size_t n, size_t capacity, uint64_t line,
                                  const ReadCallbacks& cb) {
  std::string_view text(p, n);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  if (text.empty()) return;
  size_t cap = capacity - static_cast<size_t>(text.data() - p);
  // The common case, one event per line, goes straight to the flattener, which reports
  // malformed JSON itself (the lane splits documents back to back and Security Hub
  // envelopes). Wrappers and arrays are split here.
  bool wrapper = text.front() == '[' || text.compare(0, 11, "{\"Records\":") == 0 ||
                 text.compare(0, 12, "{ \"Records\":") == 0 || text.compare(0, 15, "{\"messageType\":") == 0;
  if (!wrapper) {
    // A digest record on its own line is recognised by the flattener.
    cb.on_event({text.data(), text.size(), cap, line});
    return;
  }
  od::document doc;
  if (auto err = outer_.iterate(text.data(), text.size(), cap).get(doc)) {
    cb.on_error("line " + std::to_string(line),
                std::string("malformed JSON: ") + simdjson::error_message(err));
    return;
  }
  bool digest = false;
  std::string e = EmitDocument(doc, text.data(), cap, line, text, cb, &digest);
  if (e.empty()) {
    if (const char* loc = nullptr; !doc.current_location().get(loc)) {
      // Payloads back to back (Firehose): the first is in, each other one alone.
      std::vector<std::string_view> pieces;
      if (SplitConcatenatedJson(text, &pieces)) {
        for (size_t i = 1; i < pieces.size(); ++i)
          HandleLine(pieces[i].data(), pieces[i].size(),
                     cap - static_cast<size_t>(pieces[i].data() - text.data()), line, cb);
        return;
      }
      e = "unexpected text after the JSON document";
    }
  }
  if (!e.empty()) cb.on_error("line " + std::to_string(line), "malformed JSON: " + e);
}

void CloudTrailReader::EmitPieces(const std::vector<std::string_view>& pieces, std::string_view whole,
                                  const ReadCallbacks& cb) {
  for (size_t i = 0; i < pieces.size(); ++i) {
    std::string_view piece = pieces[i];
    const size_t at = static_cast<size_t>(piece.data() - whole.data());
    const uint64_t line = LineOf(whole, at);
    od::document doc;
    std::string error;
    bool digest = false;
    if (auto err = outer_.iterate(piece.data(), piece.size(), buf_.size() - at).get(doc))
      error = simdjson::error_message(err);
    else
      error = EmitDocument(doc, piece.data(), buf_.size() - at, line, piece, cb, &digest);
    if (!error.empty())
      cb.on_error("line " + std::to_string(line) + " (byte " + std::to_string(at) + ")",
                  "invalid JSON: " + error);
  }
}

Status CloudTrailReader::Read(ByteStream* stream, const ReadCallbacks& cb, ReadSummary* summary,
                              uint64_t first_line, bool ndjson) {
  summary_ = summary;
  *summary = ReadSummary();
  data_len_ = 0;
  buf_.assign(simdjson::SIMDJSON_PADDING, '\0');
  auto fill = [&](size_t want) -> Result<size_t> {
    buf_.resize(data_len_);
    auto n = stream->Read(want, &buf_);
    size_t got = n.ok() ? n.value() : 0;
    data_len_ = buf_.size();
    buf_.append(simdjson::SIMDJSON_PADDING, '\0');
    summary->bytes += got;
    if (cb.on_progress) cb.on_progress(stream->disk_bytes());
    if (!n.ok()) return n.status();
    return got;
  };

  // Decide the mode from the first line: complete JSON on one line means NDJSON.
  Status stream_status;
  bool eof = false;
  while (!eof && data_len_ <= kMaxLineBytes && std::memchr(buf_.data(), '\n', data_len_) == nullptr) {
    auto n = fill(kChunk);
    if (!n.ok()) stream_status = n.status();
    if (!n.ok() || n.value() == 0) eof = true;
  }
  // A first line longer than any event: read on as lines, which skips it.
  bool overlong_first = !eof && std::memchr(buf_.data(), '\n', data_len_) == nullptr;
  size_t start = 0;
  while (start < data_len_ && IsSpace(buf_[start])) ++start;
  if (start == data_len_ && eof) return stream_status;
  const char* nl = static_cast<const char*>(std::memchr(buf_.data() + start, '\n', data_len_ - start));
  std::string_view first(buf_.data() + start,
                         (nl ? static_cast<size_t>(nl - buf_.data()) : data_len_) - start);
  while (!first.empty() && IsSpace(first.back())) first.remove_suffix(1);
  bool line_mode = !first.empty() && ((first.front() == '{' && first.back() == '}') ||
                                      (first.front() == '[' && first.back() == ']'));
  line_mode |= ndjson || overlong_first;

  if (!line_mode) {
    // One document: read it whole.
    while (!eof) {
      if (data_len_ > kMaxDocumentBytes) {
        cb.on_error("line 1", "the JSON document is larger than " + std::to_string(kMaxDocumentBytes >> 20) +
                                  " MiB, cairn's limit for one document read whole: not ingested");
        return stream_status;
      }
      auto n = fill(kChunk);
      if (!n.ok()) stream_status = n.status();
      if (!n.ok() || n.value() == 0) eof = true;
    }
    std::string_view whole(buf_.data(), data_len_);
    // Pretty-printed documents back to back (Firehose, files joined with cat): each alone.
    if (std::vector<std::string_view> pieces; SplitConcatenatedJson(whole, &pieces)) {
      EmitPieces(pieces, whole, cb);
      return stream_status;
    }
    od::document doc;
    std::string error;
    bool iterated = false;
    if (auto err = outer_.iterate(buf_.data(), data_len_, buf_.size()).get(doc)) {
      error = simdjson::error_message(err);
    } else {
      iterated = true;
      bool digest = false;
      error = EmitDocument(doc, buf_.data(), buf_.size(), 1, whole, cb, &digest);
      summary->digest = digest;
      if (error.empty() && !digest) {
        // Trailing content after the document is an error too.
        if (const char* loc = nullptr; !doc.current_location().get(loc))
          error = "unexpected text after the JSON document";
      }
    }
    if (!error.empty()) {
      size_t offset = 0;
      const char* loc = nullptr;
      if (iterated && !doc.current_location().get(loc) && loc != nullptr)
        offset = static_cast<size_t>(loc - buf_.data());
      if (stream_status.ok())
        cb.on_error(
            "line " + std::to_string(LineOf(whole, offset)) + " (byte " + std::to_string(offset) + ")",
            "invalid JSON: " + error);
    }
    return stream_status;
  }

  uint64_t line = first_line;
  size_t pos = 0;
  while (true) {
    while (true) {
      const char* e = static_cast<const char*>(std::memchr(buf_.data() + pos, '\n', data_len_ - pos));
      if (e == nullptr) break;
      size_t end = static_cast<size_t>(e - buf_.data());
      HandleLine(buf_.data() + pos, end - pos, buf_.size() - pos, line, cb);
      ++line;
      pos = end + 1;
    }
    if (eof) break;
    // Keep the partial last line and read more.
    buf_.erase(0, pos);
    data_len_ -= pos;
    pos = 0;
    if (data_len_ > kMaxLineBytes) {
      // Longer than any event: skip to the end of the line without keeping it.
      cb.on_error("line " + std::to_string(line), "longer than " + std::to_string(kMaxLineBytes >> 20) +
                                                      " MiB, cairn's limit for one event: skipped");
      const char* e = nullptr;
      while (true) {
        buf_.clear();
        data_len_ = 0;
        auto n = fill(kChunk);
        if (!n.ok()) stream_status = n.status();
        if (!n.ok() || n.value() == 0) {
          eof = true;
          break;
        }
        e = static_cast<const char*>(std::memchr(buf_.data(), '\n', data_len_));
        if (e != nullptr) break;
      }
      if (eof) {
        data_len_ = 0;
        break;
      }
      pos = static_cast<size_t>(e - buf_.data()) + 1;
      ++line;
      continue;
    }
    auto n = fill(kChunk);
    if (!n.ok()) stream_status = n.status();
    if (!n.ok() || n.value() == 0) eof = true;
  }
  if (pos < data_len_) {
    std::string_view rest(buf_.data() + pos, data_len_ - pos);
    bool blank = std::all_of(rest.begin(), rest.end(), IsSpace);
    if (!blank) {
      if (!stream_status.ok()) {
        cb.on_error("line " + std::to_string(line), "incomplete last line dropped (the input ends early)");
      } else {
        HandleLine(buf_.data() + pos, data_len_ - pos, buf_.size() - pos, line, cb);
      }
    }
  }
  return stream_status;
}

}  // namespace cairn::engine
