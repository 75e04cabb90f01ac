#include "shell/output_format.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "cairn/index_info.h"
#include "shell/bar_chart.h"

namespace cairn::shell {

bool ParseFormat(const std::string& name, Format* out) {
  if (name == "raw") *out = Format::kRaw;
  else if (name == "json") *out = Format::kJson;
  else if (name == "table") *out = Format::kTable;
  else if (name == "csv") *out = Format::kCsv;
  else return false;
  return true;
}

void AppendJson(const std::string& s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    // The run of bytes that need no escape, appended at once.
    const char* run = p;
    while (p < end && static_cast<unsigned char>(*p) >= 0x20 && *p != '"' && *p != '\\') ++p;
    out->append(run, static_cast<size_t>(p - run));
    if (p == end) break;
    const auto c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        *out += "\\u00";
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->push_back('"');
}

size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++w;
  return w;
}

std::string FitCell(const std::string& s, size_t width) {
  if (DisplayWidth(s) <= width) return s;
  if (width == 0) return "";
  std::string out;
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) {
      if (w + 1 >= width) break;
      ++w;
    }
    out.push_back(s[i]);
  }
  return out + "…";
}

std::string RenderTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                        size_t max_width) {
  size_t n = headers.size();
  std::vector<size_t> width(n, 0);
  for (size_t c = 0; c < n; ++c) width[c] = DisplayWidth(headers[c]);
  for (const auto& r : rows)
    for (size_t c = 0; c < n && c < r.size(); ++c) width[c] = std::max(width[c], DisplayWidth(r[c]));
  if (max_width > 0) {
    // Shrink the widest columns until the row fits (two spaces between columns).
    size_t total = 0;
    for (size_t w : width) total += w;
    total += n > 0 ? 2 * (n - 1) : 0;
    while (total > max_width) {
      size_t widest = static_cast<size_t>(std::max_element(width.begin(), width.end()) - width.begin());
      if (width[widest] <= 8) break;
      --width[widest];
      --total;
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < n; ++c) {
      std::string cell = FitCell(c < cells.size() ? cells[c] : "", width[c]);
      out += cell;
      if (c + 1 < n) out += std::string(width[c] - DisplayWidth(cell) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers);
  std::vector<std::string> rule;
  for (size_t c = 0; c < n; ++c) rule.push_back(std::string(width[c], '-'));
  out += line(rule);
  for (const auto& r : rows) out += line(r);
  return out;
}

namespace {

std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
  return out;
}

// Epoch seconds ("1767038363" or "1767038363.250000") as microseconds.
std::optional<int64_t> EpochMicros(const std::string& text) {
  char* end = nullptr;
  double secs = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(std::llround(secs * 1e6));
}

// True if `text` is a number as JSON writes one (RFC 8259 §6).
bool IsJsonNumber(const std::string& text) {
  size_t i = 0, n = text.size();
  if (i < n && text[i] == '-') ++i;
  if (i >= n) return false;
  if (text[i] == '0') {
    ++i;
  } else if (text[i] >= '1' && text[i] <= '9') {
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  } else {
    return false;
  }
  if (i < n && text[i] == '.') {
    size_t start = ++i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return false;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    size_t start = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return false;
  }
  return i == n;
}

void AppendJsonValue(const std::string& value, ValueKind kind, std::string* out) {
  bool bare = (kind == ValueKind::kNumber && IsJsonNumber(value)) ||
              (kind == ValueKind::kBoolean && (value == "true" || value == "false"));
  if (bare) *out += value;
  else AppendJson(value, out);
}

}  // namespace

void AppendJsonField(const FieldValues& field, std::string* out) {
  AppendJson(field.name, out);
  out->push_back(':');
  if (field.values.size() == 1) {
    AppendJsonValue(field.values[0], field.kind, out);
    return;
  }
  out->push_back('[');
  for (size_t i = 0; i < field.values.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonValue(field.values[i], field.kind, out);
  }
  out->push_back(']');
}

std::string CellValue(const Event& ev, const std::string& name) {
  if (name == "_time") return FormatUtc(ev.time_us);
  if (name == "_raw") return ev.raw;
  for (const auto& f : ev.fields)
    if (f.name == name) return JoinValues(f.values);
  return "";
}

namespace {
std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

std::string EventJson(const Event& ev) { return EventJson(ev.time_us, ev.fields); }

std::string EventJson(int64_t time_us, const std::vector<FieldValues>& fields) {
  std::string line = "{\"_time\":";
  AppendJson(FormatUtc(time_us), &line);
  for (const auto& f : fields) {
    line.push_back(',');
    AppendJsonField(f, &line);
  }
  return line + "}";
}

std::string RowJson(const std::vector<FieldValues>& row) {
  std::string text = "{";
  bool first = true;
  for (const FieldValues& cell : row) {
    if (cell.values.empty()) continue;
    if (!first) text += ",";
    first = false;
    std::optional<int64_t> us;
    if (cell.name == "_time" && cell.values.size() == 1) us = EpochMicros(cell.values[0]);
    if (us) {
      AppendJson(cell.name, &text);
      text += ":";
      AppendJson(FormatUtc(*us), &text);
    } else {
      AppendJsonField(cell, &text);
    }
  }
  return text + "}";
}

void WriteEvents(const std::vector<Event>& events, Format format, const std::vector<std::string>& columns,
                 std::FILE* out, size_t terminal_width) {
  switch (format) {
    case Format::kRaw:
      for (const Event& ev : events) {
        std::fwrite(ev.raw.data(), 1, ev.raw.size(), out);
        std::fputc('\n', out);
      }
      return;
    case Format::kJson:
      for (const Event& ev : events) {
        std::string line = EventJson(ev) + "\n";
        std::fwrite(line.data(), 1, line.size(), out);
      }
      return;
    case Format::kCsv: {
      std::string line;
      for (size_t c = 0; c < columns.size(); ++c) line += (c ? "," : "") + CsvCell(columns[c]);
      line += "\n";
      for (const Event& ev : events) {
        for (size_t c = 0; c < columns.size(); ++c) line += (c ? "," : "") + CsvCell(CellValue(ev, columns[c]));
        line += "\n";
      }
      std::fwrite(line.data(), 1, line.size(), out);
      return;
    }
    case Format::kTable: {
      std::vector<std::vector<std::string>> rows;
      for (const Event& ev : events) {
        std::vector<std::string> r;
        for (const auto& c : columns) r.push_back(CellValue(ev, c));
        rows.push_back(std::move(r));
      }
      std::string text = RenderTable(columns, rows, terminal_width);
      std::fwrite(text.data(), 1, text.size(), out);
      return;
    }
  }
}

namespace {
// The bar chart of a chart/timechart table: the first column labels the rows, every other
// column is a series (cells that are not numbers count as empty).
std::string ChartOf(const ResultTable& table, const std::vector<std::vector<std::string>>& rows, size_t width) {
  std::vector<std::string> labels, series(table.columns.begin() + 1, table.columns.end());
  std::vector<std::vector<double>> values;
  for (const auto& row : rows) {
    labels.push_back(row.empty() ? "" : row[0]);
    std::vector<double> v;
    for (size_t c = 1; c < table.columns.size(); ++c) {
      char* end = nullptr;
      const std::string& cell = c < row.size() ? row[c] : std::string();
      double d = cell.empty() ? NAN : std::strtod(cell.c_str(), &end);
      v.push_back(cell.empty() || end == nullptr || *end != '\0' ? NAN : d);
    }
    values.push_back(std::move(v));
  }
  return RenderBarChart(labels, values, series, width);
}
}  // namespace

void WriteTable(const ResultTable& table, Format format, std::FILE* out, size_t terminal_width) {
  auto cell_text = [&](const FieldValues& cell) {
    if (cell.name == "_time" && cell.values.size() == 1) {
      if (auto us = EpochMicros(cell.values[0])) return FormatUtc(*us);
    }
    return JoinValues(cell.values);
  };
  std::string text;
  if (format == Format::kCsv) {
    for (size_t c = 0; c < table.columns.size(); ++c) text += (c ? "," : "") + CsvCell(table.columns[c]);
    text += "\n";
    for (const auto& row : table.rows) {
      for (size_t c = 0; c < row.size(); ++c) text += (c ? "," : "") + CsvCell(cell_text(row[c]));
      text += "\n";
    }
  } else if (format == Format::kJson) {
    for (const auto& row : table.rows) text += RowJson(row) + "\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : table.rows) {
      std::vector<std::string> r;
      for (const FieldValues& cell : row) r.push_back(cell_text(cell));
      rows.push_back(std::move(r));
    }
    text = RenderTable(table.columns, rows, terminal_width);
    if (table.chart && terminal_width > 0 && !table.columns.empty()) text += "\n" + ChartOf(table, rows, terminal_width);
  }
  std::fwrite(text.data(), 1, text.size(), out);
}

size_t TerminalWidth() {
  if (!::isatty(1)) return 0;
  struct winsize ws;
  if (::ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) return static_cast<size_t>(std::atoi(c));
  return 120;
}

}  // namespace cairn::shell
