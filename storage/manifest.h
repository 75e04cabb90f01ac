// The manifest: which segments are live in an index directory, which input sources (by
// content fingerprint) have been ingested, and how far the inputs still being ingested got
// (so that an ingest cut short resumes where its committed events end). It is a small text file with a version
// line and a CRC-32 line, replaced atomically on every commit, so a crash leaves either
// the previous or the new state. Plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

constexpr uint32_t kManifestVersion = 2;
constexpr char kManifestFile[] = "MANIFEST";

/// True if `name` is one cairn gives a segment file: seg-, digits, .cseg.
bool IsSegmentFileName(std::string_view name);

struct SegmentInfo {
  std::string file;  ///< name inside the index directory, e.g. "seg-000001.cseg"
  uint32_t rows = 0;
  int64_t min_time_us = 0;
  int64_t max_time_us = 0;
  uint64_t bytes = 0;
};

struct SourceInfo {
  std::string fingerprint;  ///< hex, from the file's size and content
  uint64_t events = 0;
  uint64_t bytes = 0;
  std::string path;  ///< as given at ingest, for messages
};

/// One part of an input whose ingest has not finished: the whole input, or bytes
/// [begin, end) of an NDJSON file cut at lines. Its first `records` records (events as the
/// reader found them, malformed ones included) are in committed segments.
struct PartInfo {
  std::string fingerprint;
  bool whole = true;
  uint64_t begin = 0, end = 0;
  uint64_t records = 0;
  uint64_t events = 0;  ///< events added from those records
  bool finished = false;
  std::string path;
};

struct Manifest {
  uint64_t next_segment = 1;
  uint64_t raw_bytes = 0;  ///< input bytes of all ingested events
  std::vector<SegmentInfo> segments;
  std::vector<SourceInfo> sources;
  std::vector<PartInfo> parts;  ///< of inputs being ingested

  std::string Encode() const;
  static Status Decode(const std::string& text, const std::string& what, Manifest* out);
};

}  // namespace cairn::storage
