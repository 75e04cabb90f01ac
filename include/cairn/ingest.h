// The embedding surface for ingest: put log files into an index directory.
// Ingest() is synchronous; it takes the index's writer lock for its duration.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cairn {

struct IngestOptions {
  std::string index_dir = "cairn-data";
  std::string index_name = "main";  ///< the `index` field of every event
  /// Every event's sourcetype; empty: each file's or event's own, detected from its content
  /// (docs/log-sources.md).
  std::string sourcetype;
  /// Every event's source; empty: the path of the file it came from, as given.
  std::string source;
  /// With `sourcetype`: the dotted path of a JSON event's time ("ts", "meta.time"); empty:
  /// the detected format's.
  std::string time_field;
  /// How that time is written, in strptime-like conversions ("%Y-%m-%d %H:%M:%S"); empty:
  /// any ISO-8601-like form, or epoch seconds, milliseconds or microseconds.
  std::string time_format;
  uint32_t segment_rows = 65536;    ///< events per segment
  /// NDJSON files of at least twice this many bytes are cut in two parts that two threads
  /// ingest side by side.
  uint64_t split_bytes = 32u << 20;
  /// For crash tests: after this many manifest commits, end the process at once (exit
  /// status 75), as a crash or a kill would. 0: never.
  uint32_t crash_after_commits = 0;
  /// Called now and then with (disk bytes read, total disk bytes, events so far).
  std::function<void(uint64_t, uint64_t, uint64_t)> progress;
  /// Called with each problem, already formatted as "path:where: message".
  std::function<void(const std::string&)> on_error;
  /// Called with each warning (a line kept in part), formatted as on_error's messages.
  std::function<void(const std::string&)> on_warning;
};

struct IngestReport {
  uint64_t files = 0;           ///< inputs read
  uint64_t events = 0;          ///< events added to the index
  uint64_t bytes = 0;           ///< input bytes read (decompressed)
  uint64_t errors = 0;          ///< problems reported through on_error
  uint64_t warnings = 0;        ///< lines kept in part, reported through on_warning
  uint64_t skipped_files = 0;   ///< already ingested (same content)
  uint64_t digest_files = 0;    ///< CloudTrail digest files, not event logs
  uint64_t untimed_events = 0;  ///< events without a time where their format has it: ingest time used
  uint64_t verbatim_events = 0; ///< events whose raw text is kept as is
  uint64_t segments = 0;        ///< segments written
  /// The index could not be written (a full disk): the ingest stopped; `events` were
  /// committed, and an ingest of the same inputs adds what is missing.
  bool stopped = false;
  double seconds = 0;
  std::vector<std::string> skipped;  ///< "path (same content as other)" lines
  std::vector<std::string> resumed;  ///< "path (N events were already in the index)" lines
  /// "path (N new bytes)": logs that grew since an earlier ingest read them, of which only
  /// the new lines are read.
  std::vector<std::string> grown;
};

/// Ingests every file under `paths` ("-" is standard input) into the index.
IngestReport Ingest(const std::vector<std::string>& paths, const IngestOptions& options);

}  // namespace cairn
