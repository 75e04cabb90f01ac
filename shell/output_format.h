// Rendering search results for people and scripts: raw events, NDJSON of fields, CSV,
// and a table fitted to the terminal width (long cells cut with an ellipsis, widths
// counted in UTF-8 characters, multivalue cells joined with a comma). Stateless.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "cairn/search.h"

namespace cairn::shell {

enum class Format { kRaw, kJson, kTable, kCsv };

/// Parses "raw", "json", "table", "csv".
bool ParseFormat(const std::string& name, Format* out);

/// Appends `s` as a JSON string literal.
void AppendJson(const std::string& s, std::string* out);

/// Appends `"name":value` for a field: numbers and booleans bare (when their text is valid
/// JSON), other values as strings, several values as an array. Every JSON output uses it.
void AppendJsonField(const FieldValues& field, std::string* out);

/// Display width of UTF-8 text (one column per code point).
size_t DisplayWidth(const std::string& s);

/// `s` cut to at most `width` columns, ending in "…" when cut.
std::string FitCell(const std::string& s, size_t width);

/// A table with a header row, columns fitted into `max_width`.
std::string RenderTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                        size_t max_width);

/// The value of `name` in an event as one cell ("_time" is formatted).
std::string CellValue(const Event& ev, const std::string& name);

/// An event as one JSON object: `_time` (ISO 8601, UTC) then its fields.
std::string EventJson(const Event& ev);
/// The same for an event given as its time and fields.
std::string EventJson(int64_t time_us, const std::vector<FieldValues>& fields);
/// A result row as one JSON object, empty cells left out, a `_time` cell as ISO 8601.
std::string RowJson(const std::vector<FieldValues>& row);

/// Writes events in `format`; `columns` is used by table and csv.
void WriteEvents(const std::vector<Event>& events, Format format, const std::vector<std::string>& columns,
                 std::FILE* out, size_t terminal_width);

/// Writes a result table: csv, NDJSON (one object per row) or a fitted table (raw and
/// table formats both print the table).
void WriteTable(const ResultTable& table, Format format, std::FILE* out, size_t terminal_width);

/// Width of the terminal on standard output, or 0 when it is not one.
size_t TerminalWidth();

}  // namespace cairn::shell
