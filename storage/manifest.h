// The manifest: which segments are live in an index directory, and which input sources
// (by content fingerprint) have been ingested. It is a small text file with a version
// line and a CRC-32 line, replaced atomically on every commit, so a crash leaves either
// the previous or the new state. Plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/status.h"

namespace cairn::storage {

constexpr uint32_t kManifestVersion = 1;
constexpr char kManifestFile[] = "MANIFEST";

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

struct Manifest {
  uint64_t next_segment = 1;
  uint64_t raw_bytes = 0;  ///< input bytes of all ingested events
  std::vector<SegmentInfo> segments;
  std::vector<SourceInfo> sources;

  std::string Encode() const;
  static Status Decode(const std::string& text, const std::string& what, Manifest* out);
};

}  // namespace cairn::storage
