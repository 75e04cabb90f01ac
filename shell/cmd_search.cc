// `cairn search 'QUERY'` and `cairn explain 'QUERY'`.
#include <cstdio>
#include <cstdlib>
#include <set>

#include "cairn/index_info.h"
#include "cairn/search.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/output_format.h"
#include "shell/progress_bar.h"

namespace cairn::shell {

namespace {

const char kSearchUsage[] =
    "usage: cairn search [--format raw|json|table|csv] [--limit N] [--count]\n"
    "                    [--earliest TIME] [--latest TIME] [--macros PATH]...\n"
    "                    [--lookups DIR] [--lookup-definitions PATH]... [--timeout SECONDS]\n"
    "                    [--max-memory MB] 'QUERY'\n";

struct SearchArgs {
  std::string query;
  SearchOptions options;
  Format format = Format::kRaw;
  bool quiet = false;
};

// Parses options; returns an exit code >= 0 to stop with, or -1 to go on.
int ParseArgs(const std::string& command, const std::vector<std::string>& args, SearchArgs* out,
              const char* usage) {
  ArgReader reader(command, args);
  std::vector<std::string> words;
  while (!reader.done()) {
    const std::string& a = reader.Next();
    if (a == "--format") {
      std::optional<std::string> v = reader.Choice(a, {"raw", "json", "table", "csv"});
      if (!v) return 2;
      ParseFormat(*v, &out->format);
    } else if (a == "--limit") {
      std::optional<uint64_t> n = reader.Count(a, 0, UINT64_MAX / 2);
      if (!n) return 2;
      out->options.limit = *n;
    } else if (a == "--count") {
      out->options.count_only = true;
    } else if (a == "--earliest" || a == "--latest") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      (a == "--earliest" ? out->options.earliest : out->options.latest) = *v;
    } else if (a == "--macros" || a == "--lookup-definitions") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      (a == "--macros" ? out->options.macro_paths : out->options.lookup_definitions).push_back(*v);
    } else if (a == "--lookups") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      out->options.lookups_dir = *v;
    } else if (a == "--timeout") {
      std::optional<double> t = reader.Seconds(a);
      if (!t) return 2;
      out->options.timeout_s = *t;
    } else if (a == "--max-memory") {
      std::optional<uint64_t> mb = reader.Count(a, 0, uint64_t{1} << 30);
      if (!mb) return 2;
      out->options.max_memory_mb = *mb;
    } else if (a == "--quiet" || a == "-q") {
      out->quiet = true;
    } else if (a == "--help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (a == "--") {
      while (!reader.done()) words.push_back(reader.Next());
    } else if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      return reader.Fail("unknown option " + a + "\n" + usage);
    } else {
      words.push_back(a);
    }
  }
  if (words.empty()) {
    std::fputs(usage, stderr);
    return 2;
  }
  for (size_t i = 0; i < words.size(); ++i) out->query += (i ? " " : "") + words[i];
  return -1;
}

// Columns for table and csv output: _time, the fields the query names, then common ones.
std::vector<std::string> TableColumns(const std::string& query) {
  std::vector<std::string> cols = {"_time"};
  std::set<std::string> seen(cols.begin(), cols.end());
  std::vector<std::string> named = QueryFieldNames(query);
  for (const std::string& f : named)
    if (seen.insert(f).second) cols.push_back(f);
  for (const char* f : {"eventName", "eventSource", "userIdentity.arn", "sourceIPAddress"})
    if (seen.insert(f).second) cols.push_back(f);
  return cols;
}

std::string RangeText(const SearchResult& r) {
  if (!r.earliest_us && !r.latest_us) return "all time";
  return (r.earliest_us ? FormatUtc(*r.earliest_us) : std::string("the beginning")) + " to " +
         (r.latest_us ? FormatUtc(*r.latest_us) : std::string("now"));
}

}  // namespace

int RunSearch(const GlobalOptions& global, const std::vector<std::string>& args) {
  SearchArgs sa;
  if (int code = ParseArgs("cairn search", args, &sa, kSearchUsage); code >= 0) return code;
  auto opened = Searcher::Open(global.index_dir);
  if (!opened.ok()) {
    PrintError(opened.status());
    return ExitCode(opened.status());
  }
  std::unique_ptr<Searcher> searcher = opened.take();
  sa.options.want_raw = true;
  sa.options.want_fields = sa.format != Format::kRaw;
  SearchResult r = searcher->Run(sa.query, sa.options);
  for (const std::string& w : r.warnings) std::fputs(w.c_str(), stderr);
  if (r.status.code() == Status::Code::kLimitReached) {
    std::fprintf(stderr, "cairn: %s; nothing is printed\n", r.status.message().c_str());
    return 1;
  }
  if (!r.status.ok()) {
    PrintError(r.status);
    return ExitCode(r.status);
  }
  if (sa.options.count_only) {
    std::printf("%llu\n", static_cast<unsigned long long>(r.results));
  } else if (r.is_table) {
    WriteTable(r.table, sa.format, stdout, TerminalWidth());
  } else {
    WriteEvents(r.events, sa.format, TableColumns(sa.query), stdout, TerminalWidth());
  }
  std::fflush(stdout);
  if (r.generated) {
    if (!sa.quiet)
      std::fprintf(stderr, "%s result%s from a generating command (no search), %.1f ms\n", WithCommas(r.results).c_str(),
                   r.results == 1 ? "" : "s",
                   r.elapsed_ms);
    return 0;
  }
  if (r.matched == 0 && r.segments_total == 0 && r.unreadable_segments.empty()) {
    std::fprintf(stderr, "nothing found: the index has no events yet (an ingest may still be running, or stopped "
                         "before its first commit)\n");
  } else if (r.matched == 0) {
    std::string indexes;
    for (size_t i = 0; i < r.indexes.size(); ++i) indexes += (i ? ", " : "") + r.indexes[i];
    std::fprintf(stderr, "nothing found in %s (indexes searched: %s)\n", RangeText(r).c_str(),
                 indexes.empty() ? "none" : indexes.c_str());
  }
  if (!sa.quiet) {
    std::fprintf(stderr, "%s events matched, %llu of %llu segments scanned (%llu pruned by time), %.1f ms\n",
                 WithCommas(r.matched).c_str(), static_cast<unsigned long long>(r.segments_scanned),
                 static_cast<unsigned long long>(r.segments_total), static_cast<unsigned long long>(r.segments_pruned),
                 r.elapsed_ms);
  }
  // A result without the events of a damaged segment is not a clean answer.
  return r.unreadable_segments.empty() ? 0 : 1;
}

int RunExplain(const GlobalOptions& global, const std::vector<std::string>& args) {
  SearchArgs sa;
  if (int code = ParseArgs("cairn explain", args, &sa, "usage: cairn explain [--earliest T] [--latest T] [--macros PATH] [--lookups DIR] 'QUERY'\n");
      code >= 0)
    return code;
  auto opened = Searcher::Open(global.index_dir);
  if (!opened.ok()) {
    PrintError(opened.status());
    return ExitCode(opened.status());
  }
  std::unique_ptr<Searcher> searcher = opened.take();
  sa.options.count_only = true;
  sa.options.explain = true;
  SearchResult r = searcher->Run(sa.query, sa.options);
  for (const std::string& w : r.warnings) std::fputs(w.c_str(), stderr);
  if (!r.status.ok()) {
    PrintError(r.status);
    return ExitCode(r.status);
  }
  std::fputs(r.explain.c_str(), stdout);
  return 0;
}

}  // namespace cairn::shell
