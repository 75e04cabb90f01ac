// `cairn ingest PATH...`: runs the ingest and prints its summary.
#include <malloc.h>

#include <cstdio>

#include "cairn/ingest.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/progress_bar.h"

namespace cairn::shell {

namespace {

const char kIngestUsage[] =
    "usage: cairn ingest [--quiet] [--index-name NAME] [--sourcetype NAME [--time-field PATH] [--time-format FMT]]\n"
    "                    [--source NAME] [--segment-rows N] [--split-bytes N] PATH...\n"
    "Reads CloudTrail, GuardDuty, Security Hub, EventBridge, CloudWatch Logs, WAF, CloudFront, S3 access,\n"
    "VPC flow and Route 53 resolver logs, detected from each file's content (docs/log-sources.md), and any\n"
    "NDJSON with --sourcetype and --time-field.\n";

// A segment's row numbers are 32-bit; far fewer keep a segment's memory in bounds.
constexpr uint64_t kMaxSegmentRows = 1u << 24;  // the segment format's limit (storage/segment_format.h)

// Splunk's rule for index names: lower-case letters, digits, '_' and '-', not starting with
// '_' or '-'.
bool IsIndexName(const std::string& name) {
  if (name.empty() || name.size() > 80 || name[0] == '_' || name[0] == '-') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

// Each segment allocates and frees tens of MiB. glibc would hand those pages back to the
// kernel and fault them in again for the next segment, which costs about a tenth of the
// ingest CPU on a virtual machine: keep freed memory in the process instead.
void KeepFreedMemory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}
}  // namespace

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& args) {
  KeepFreedMemory();
  IngestOptions options;
  options.index_dir = global.index_dir;
  bool quiet = false;
  std::vector<std::string> paths;
  ArgReader reader("cairn ingest", args);
  while (!reader.done()) {
    const std::string& a = reader.Next();
    if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else if (a == "--index-name") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      if (!IsIndexName(*v))
        return reader.Fail("--index-name takes lower-case letters, digits, '_' and '-', not starting with '_' or '-' "
                           "(as Splunk's index names), not '" + *v + "'");
      options.index_name = *v;
    } else if (a == "--segment-rows") {
      std::optional<uint64_t> n = reader.Count(a, 1, kMaxSegmentRows);
      if (!n) return 2;
      options.segment_rows = static_cast<uint32_t>(*n);
    } else if (a == "--test-crash-after-commits") {
      std::optional<uint64_t> n = reader.Count(a, 0, UINT32_MAX);
      if (!n) return 2;
      options.crash_after_commits = static_cast<uint32_t>(*n);
    } else if (a == "--split-bytes") {
      std::optional<uint64_t> n = reader.Count(a, 1, UINT64_MAX / 4);
      if (!n) return 2;
      options.split_bytes = *n;
    } else if (a == "--sourcetype") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      if (v->empty()) return reader.Fail("--sourcetype needs a name, such as aws:cloudtrail");
      options.sourcetype = *v;
    } else if (a == "--source") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      if (v->empty()) return reader.Fail("--source needs a name, such as s3.json");
      options.source = *v;
    } else if (a == "--time-field" || a == "--time-format") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      if (v->empty()) return reader.Fail(a + " needs a value");
      (a == "--time-field" ? options.time_field : options.time_format) = *v;
    } else if (a == "--") {
      while (!reader.done()) paths.push_back(reader.Next());
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      return reader.Fail("unknown option " + a + "\n" + kIngestUsage);
    } else {
      paths.push_back(a);
    }
  }
  if (!options.time_field.empty() && options.sourcetype.empty())
    return reader.Fail("--time-field needs --sourcetype: it describes events of a sourcetype you name");
  if (paths.empty()) {
    std::fputs(kIngestUsage, stderr);
    return 2;
  }
  ProgressBar bar(!quiet);
  options.progress = [&](uint64_t done, uint64_t total, uint64_t events) { bar.Update(done, total, events); };
  options.on_error = [&](const std::string& msg) {
    bar.Finish();
    std::fprintf(stderr, "cairn: error: %s\n", msg.c_str());
  };
  options.on_warning = [&](const std::string& msg) {
    bar.Finish();
    std::fprintf(stderr, "cairn: warning: %s\n", msg.c_str());
  };
  IngestReport r = Ingest(paths, options);
  bar.Finish();
  for (const std::string& s : r.skipped)
    std::fprintf(stderr, "cairn: skipped %s: already ingested\n", s.c_str());
  for (const std::string& s : r.resumed)
    std::fprintf(stderr, "cairn: resumed %s: an earlier ingest stopped before its end\n", s.c_str());
  for (const std::string& s : r.grown)
    std::fprintf(stderr, "cairn: %s grew since an earlier ingest read it: only its new lines are read\n",
                 s.c_str());
  double mb = static_cast<double>(r.bytes) / 1e6;
  double rate = r.seconds > 0 ? mb / r.seconds : 0;
  std::string line = "ingested " + WithCommas(r.events) + " events from " + WithCommas(r.files) + " file" +
                     (r.files == 1 ? "" : "s") + " (" + HumanBytes(static_cast<double>(r.bytes)) + ") in ";
  char tail[160];
  std::snprintf(tail, sizeof tail, "%.2f s, %.1f MB/s, %s events/s", r.seconds, rate,
                WithCommas(r.seconds > 0 ? static_cast<uint64_t>(static_cast<double>(r.events) / r.seconds) : 0)
                    .c_str());
  line += tail;
  std::vector<std::string> notes;
  if (r.skipped_files) notes.push_back(std::to_string(r.skipped_files) + " already ingested, skipped");
  if (r.digest_files) notes.push_back(std::to_string(r.digest_files) + " digest file(s) skipped");
  if (r.untimed_events) notes.push_back(WithCommas(r.untimed_events) + (r.untimed_events == 1 ? " event" : " events") +
                                            " without a time of its own got the ingest time");
  if (r.warnings) notes.push_back(WithCommas(r.warnings) + " warning" + (r.warnings == 1 ? "" : "s"));
  notes.push_back(std::to_string(r.errors) + " error" + (r.errors == 1 ? "" : "s"));
  for (const auto& n : notes) line += "; " + n;
  if (!quiet || r.errors) std::fprintf(stderr, "%s\n", line.c_str());
  return r.errors ? 1 : 0;
}

}  // namespace cairn::shell
