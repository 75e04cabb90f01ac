// `cairn info`: what the index holds.
#include <algorithm>
#include <cstdio>

#include "cairn/index_info.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/progress_bar.h"

namespace cairn::shell {

namespace {
// Bytes per section kind and per field in the first segment, largest first.
int PrintSections(const std::string& dir) {
  SegmentLayout layout;
  if (Status st = GetFirstSegmentLayout(dir, &layout); !st.ok()) {
    PrintError(st);
    return ExitCode(st);
  }
  uint64_t sums[5] = {0, 0, 0, 0, 0};
  for (const FieldSections& f : layout.fields) {
    sums[0] += f.dictionary;
    sums[1] += f.postings;
    sums[2] += f.presence;
    sums[3] += f.term_filter;
    sums[4] += f.columns;
  }
  auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
  std::printf("segment %s: %u rows, %llu bytes; dictionaries %llu, postings %llu, presence %llu, term filters %llu, "
              "columns %llu, verbatim raw %llu, times %llu\n",
              layout.file.c_str(), layout.rows, u(layout.bytes), u(sums[0]), u(sums[1]), u(sums[2]), u(sums[3]),
              u(sums[4]), u(layout.verbatim), u(layout.times));
  std::printf("%-50s %10s %8s %10s %10s %8s %8s %10s  flags\n", "field", "total", "distinct", "dictionary",
              "postings", "presence", "filter", "columns");
  for (size_t i = 0; i < layout.fields.size() && i < 30; ++i) {
    const FieldSections& f = layout.fields[i];
    std::printf("%-50s %10llu %8u %10llu %10llu %8llu %8llu %10llu  %u\n", f.name.c_str(), u(f.total()), f.distinct,
                u(f.dictionary), u(f.postings), u(f.presence), u(f.term_filter), u(f.columns), f.flags);
  }
  return 0;
}
}  // namespace

int RunInfo(const GlobalOptions& global, const std::vector<std::string>& args) {
  size_t max_fields = 40;
  bool sections = false;
  ArgReader reader("cairn info", args);
  while (!reader.done()) {
    const std::string& a = reader.Next();
    if (a == "--all-fields") max_fields = SIZE_MAX;
    else if (a == "--sections") sections = true;
    else return reader.Fail("unknown argument " + a + "\nusage: cairn info [--all-fields] [--sections]");
  }
  if (sections) return PrintSections(global.index_dir);
  IndexInfo info;
  if (Status st = GetIndexInfo(global.index_dir, &info); !st.ok()) {
    PrintError(st);
    return ExitCode(st);
  }
  std::printf("index       %s\n", info.path.c_str());
  std::printf("segments    %s\n", WithCommas(info.segments).c_str());
  std::printf("events      %s\n", WithCommas(info.events).c_str());
  std::printf("sources     %s files\n", WithCommas(info.sources).c_str());
  if (info.events) {
    std::printf("time range  %s .. %s\n", FormatUtc(info.min_time_us).c_str(),
                FormatUtc(info.max_time_us).c_str());
  }
  double ratio = info.raw_bytes ? 100.0 * static_cast<double>(info.disk_bytes) / static_cast<double>(info.raw_bytes) : 0;
  std::printf("size        %s on disk for %s of raw events (%.1f%%)\n", HumanBytes(static_cast<double>(info.disk_bytes)).c_str(),
              HumanBytes(static_cast<double>(info.raw_bytes)).c_str(), ratio);
  std::printf("fields      %zu\n", info.fields.size());
  size_t shown = 0;
  for (const auto& f : info.fields) {
    if (shown++ >= max_fields) {
      std::printf("  ... %zu more (cairn info --all-fields)\n", info.fields.size() - max_fields);
      break;
    }
    std::printf("  %-60s %12s events\n", f.name.c_str(), WithCommas(f.events).c_str());
  }
  return 0;
}

}  // namespace cairn::shell

namespace cairn::shell {

int RunCheck(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (!args.empty()) {
    ArgReader reader("cairn check", args);
    return reader.Fail("unknown argument " + args[0] + "\nusage: cairn check");
  }
  uint64_t checked = 0;
  std::vector<std::string> problems = CheckIndex(global.index_dir, &checked);
  for (const std::string& p : problems) std::fprintf(stderr, "cairn check: %s\n", p.c_str());
  std::printf("%llu segment(s) checked, %zu damaged\n", static_cast<unsigned long long>(checked), problems.size());
  return problems.empty() ? 0 : 1;
}

int RunRepair(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (!args.empty()) {
    ArgReader reader("cairn repair", args);
    return reader.Fail("unknown argument " + args[0] + "\nusage: cairn repair");
  }
  std::vector<std::string> set_aside;
  Status s = RepairIndex(global.index_dir, &set_aside);
  for (const std::string& p : set_aside) std::fprintf(stderr, "cairn repair: set aside %s\n", p.c_str());
  if (!s.ok()) {
    PrintError(s);
    return ExitCode(s);
  }
  if (set_aside.empty())
    std::printf("no damaged segment: nothing to repair\n");
  else
    std::printf("%zu segment(s) set aside in %s/damaged; the rest of the index answers without them\n",
                set_aside.size(), global.index_dir.c_str());
  return 0;
}

}  // namespace cairn::shell
