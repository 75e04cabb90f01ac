// `cairn hunt PATH...` (saved hunts, Sigma rules and ESCU detections over the index, with a
// summary, NDJSON alerts or SARIF, and exit status 0 no hits, 1 hits, 2 a rule failed) and
// `cairn sigma convert RULE...` (the SPL a Sigma rule runs as).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <optional>

#include "cairn/hunt.h"
#include "cairn/index_info.h"
#include "shell/arg_reader.h"
#include "shell/cli.h"
#include "shell/output_format.h"

namespace cairn::shell {

namespace {

const char kHuntUsage[] =
    "usage: cairn hunt [--format table|json|sarif] [--list] [--since last]\n"
    "                  [--earliest TIME] [--latest TIME] [--macros PATH]... [--lookups DIR]\n"
    "                  [--lookup-definitions PATH]... [--threads N] [--max-alerts N]\n"
    "                  [--timeout SECONDS] [--max-memory MB] [--verbose] [--quiet] PATH...\n"
    "\n"
    "Runs every rule found at PATH (cairn .spl hunts, Sigma .yml rules, Splunk ESCU detection\n"
    ".yml; directories are searched recursively) over the index.\n"
    "  --format table   a summary: rule, kind, level, author, hits, first and last time (default)\n"
    "  --format json    one JSON object per matching event or result row, with the rule\n"
    "  --format sarif   SARIF 2.1.0, one result per match\n"
    "  --list           list the rules found and those that cannot run, and why; run nothing\n"
    "  --since last     per rule, only events that earlier --since last runs did not search\n"
    "  --max-alerts N   events or rows kept per rule (default 10000; all are counted)\n"
    "  --timeout S      a rule still running after S seconds stops and fails (the others run)\n"
    "  --max-memory MB  a rule stops and fails once cairn holds more memory than this\n"
    "                   (default: half the machine's memory; 0: no limit)\n"
    "exit status: 0 no hits, 1 hits, 2 a rule failed to load or run (the others still ran)\n";

const char kSigmaUsage[] =
    "usage: cairn sigma convert RULE.yml...\n"
    "Prints the SPL each Sigma rule runs as (cairn runs the rule itself, not this text).\n";

enum class HuntFormat { kTable, kJson, kSarif };

struct HuntArgs {
  std::vector<std::string> paths;
  HuntOptions options;
  HuntFormat format = HuntFormat::kTable;
  bool list = false, verbose = false, quiet = false;
};

int ParseHuntArgs(const std::vector<std::string>& args, HuntArgs* out) {
  ArgReader reader("cairn hunt", args);
  while (!reader.done()) {
    const std::string& a = reader.Next();
    if (a == "--format") {
      std::optional<std::string> v = reader.Choice(a, {"table", "json", "sarif"});
      if (!v) return 2;
      out->format = *v == "json" ? HuntFormat::kJson : *v == "sarif" ? HuntFormat::kSarif : HuntFormat::kTable;
    } else if (a == "--list") {
      out->list = true;
    } else if (a == "--since") {
      std::optional<std::string> v = reader.Choice(a, {"last"});
      if (!v) return 2;
      out->options.since_last = true;
    } else if (a == "--earliest" || a == "--latest") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      (a == "--earliest" ? out->options.search.earliest : out->options.search.latest) = *v;
    } else if (a == "--macros" || a == "--lookup-definitions") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      (a == "--macros" ? out->options.search.macro_paths : out->options.search.lookup_definitions).push_back(*v);
    } else if (a == "--lookups") {
      std::optional<std::string> v = reader.Value(a);
      if (!v) return 2;
      out->options.search.lookups_dir = *v;
    } else if (a == "--threads") {
      std::optional<uint64_t> n = reader.Count(a, 1, 64);
      if (!n) return 2;
      out->options.threads = static_cast<int>(*n);
    } else if (a == "--max-alerts") {
      std::optional<uint64_t> n = reader.Count(a, 0, 100000000);
      if (!n) return 2;
      out->options.max_alerts_per_rule = *n;
    } else if (a == "--timeout") {
      std::optional<double> t = reader.Seconds(a);
      if (!t) return 2;
      out->options.search.timeout_s = *t;
    } else if (a == "--max-memory") {
      std::optional<uint64_t> mb = reader.Count(a, 0, uint64_t{1} << 30);
      if (!mb) return 2;
      out->options.search.max_memory_mb = *mb;
    } else if (a == "--verbose" || a == "-v") {
      out->verbose = true;
    } else if (a == "--quiet" || a == "-q") {
      out->quiet = true;
    } else if (a == "--help" || a == "-h") {
      std::fputs(kHuntUsage, stdout);
      return 0;
    } else if (a == "--") {
      while (!reader.done()) out->paths.push_back(reader.Next());
    } else if (a.size() > 1 && a[0] == '-') {
      return reader.Fail("unknown option " + a + "\n" + kHuntUsage);
    } else {
      out->paths.push_back(a);
    }
  }
  if (out->paths.empty()) {
    std::fputs(kHuntUsage, stderr);
    return 2;
  }
  return -1;
}

std::string Json(const std::string& s) {
  std::string out;
  AppendJson(s, &out);
  return out;
}

std::string JsonList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + Json(items[i]);
  return out + "]";
}

// The rule as the `rule` member of an alert.
std::string RuleJson(const HuntRule& r) {
  std::string out = "{\"id\":" + Json(r.id) + ",\"title\":" + Json(r.title) + ",\"kind\":" +
                    Json(HuntKindName(r.kind)) + ",\"file\":" + Json(r.file) + ",\"author\":" + Json(r.author) +
                    ",\"level\":" + Json(r.level) + ",\"tags\":" + JsonList(r.tags);
  if (r.risk_score >= 0) out += ",\"risk_score\":" + std::to_string(r.risk_score);
  return out + ",\"license\":" + Json(r.license) + "}";
}

std::string FieldText(const HuntAlert& a, const char* name) {
  for (const FieldValues& f : a.fields)
    if (f.name == name && !f.values.empty()) return f.values[0];
  return "";
}

std::string AlertFields(const HuntAlert& a) {
  if (a.is_row) return RowJson(a.fields);
  return EventJson(a.time_us.value_or(0), a.fields);
}

// One rule's alerts as NDJSON lines, in pieces of about a MiB (one growing string would be
// copied each time it grows).
std::vector<std::string> JsonAlerts(const HuntRule& rule, const HuntOutcome& outcome) {
  constexpr size_t kPieceBytes = 1 << 20;
  const std::string rule_json = RuleJson(rule);
  std::vector<std::string> pieces;
  std::string out;
  for (const HuntAlert& a : outcome.alerts) {
    if (out.size() >= kPieceBytes) pieces.push_back(std::move(out));
    if (out.capacity() < kPieceBytes) out.reserve(kPieceBytes + kPieceBytes / 2);
    out += "{\"rule\":";
    out += rule_json;
    if (a.time_us) {
      out += ",\"_time\":";
      AppendJson(FormatUtc(*a.time_us), &out);
    }
    std::string source = FieldText(a, "source"), sourcetype = FieldText(a, "sourcetype");
    if (!source.empty()) {
      out += ",\"source\":";
      AppendJson(source, &out);
    }
    if (!sourcetype.empty()) {
      out += ",\"sourcetype\":";
      AppendJson(sourcetype, &out);
    }
    out += ",\"fields\":";
    out += AlertFields(a);
    if (!a.is_row) {
      out += ",\"_raw\":";
      AppendJson(a.raw, &out);
    }
    out += "}\n";
  }
  if (!out.empty()) pieces.push_back(std::move(out));
  return pieces;
}

const char* SarifLevel(const std::string& level) {
  if (level == "critical" || level == "high") return "error";
  if (level == "medium") return "warning";
  return "note";
}

void WriteSarif(const std::vector<HuntRule>& rules, const std::vector<HuntOutcome>& outcomes,
                const std::vector<HuntProblem>& problems) {
  std::string out =
      "{\"version\":\"2.1.0\",\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"runs\":[{\"tool\":{"
      "\"driver\":{\"name\":\"cairn\",\"rules\":[";
  for (size_t i = 0; i < rules.size(); ++i) {
    const HuntRule& r = rules[i];
    out += std::string(i ? "," : "") + "{\"id\":" + Json(r.id.empty() ? r.file : r.id) + ",\"name\":" +
           Json(r.title) + ",\"shortDescription\":{\"text\":" + Json(r.title) + "}";
    if (!r.description.empty()) out += ",\"fullDescription\":{\"text\":" + Json(r.description) + "}";
    if (!r.references.empty()) out += ",\"helpUri\":" + Json(r.references[0]);
    out += ",\"defaultConfiguration\":{\"level\":" + Json(SarifLevel(r.level)) + "}";
    out += ",\"properties\":{\"author\":" + Json(r.author) + ",\"level\":" + Json(r.level) + ",\"kind\":" +
           Json(HuntKindName(r.kind)) + ",\"file\":" + Json(r.file) + ",\"tags\":" + JsonList(r.tags) +
           ",\"license\":" + Json(r.license) + "}}";
  }
  out += "]}},\"results\":[";
  bool first = true;
  bool failed = !problems.empty();
  for (size_t i = 0; i < rules.size(); ++i) {
    const HuntRule& r = rules[i];
    failed |= !outcomes[i].status.ok();
    for (const HuntAlert& a : outcomes[i].alerts) {
      std::string source = FieldText(a, "source");
      std::string when = a.time_us ? FormatUtc(*a.time_us) : "";
      out += std::string(first ? "" : ",") + "{\"ruleId\":" + Json(r.id.empty() ? r.file : r.id) +
             ",\"ruleIndex\":" + std::to_string(i) + ",\"level\":" + Json(SarifLevel(r.level)) +
             ",\"message\":{\"text\":" + Json(r.title + (when.empty() ? "" : " at " + when) + " (rule by " +
                                               (r.author.empty() ? "unknown" : r.author) + ")") +
             "}";
      if (!source.empty())
        out += ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" + Json(source) + "}}}]";
      out += ",\"properties\":{";
      if (!when.empty()) out += "\"_time\":" + Json(when) + ",";
      out += "\"author\":" + Json(r.author) + ",\"license\":" + Json(r.license) + ",\"fields\":" + AlertFields(a) +
             "}}";
      first = false;
    }
  }
  out += "],\"invocations\":[{\"executionSuccessful\":" + std::string(failed ? "false" : "true") +
         ",\"toolExecutionNotifications\":[";
  first = true;
  auto note = [&](const std::string& text, const std::string& file, int line) {
    out += std::string(first ? "" : ",") + "{\"level\":\"error\",\"message\":{\"text\":" + Json(text) +
           "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":" + Json(file) + "}" +
           (line > 0 ? ",\"region\":{\"startLine\":" + std::to_string(line) + "}" : "") + "}}]}";
    first = false;
  };
  for (const HuntProblem& p : problems) note(p.message, p.file, p.line);
  for (size_t i = 0; i < rules.size(); ++i)
    if (!outcomes[i].status.ok()) note(ErrorText(outcomes[i].status), rules[i].file, rules[i].query_line);
  out += "]}]}]}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

int LevelRank(const std::string& level) {
  static const char* order[] = {"critical", "high", "medium", "low", "informational"};
  for (int i = 0; i < 5; ++i)
    if (level == order[i]) return i;
  return 5;
}

// Rules with hits first (most severe level, then most hits), then failures, then the rest,
// each group in the order the rules were found.
std::vector<size_t> SummaryOrder(const std::vector<HuntRule>& rules, const std::vector<HuntOutcome>& outcomes) {
  std::vector<size_t> order(rules.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto group = [&](size_t i) { return outcomes[i].hits > 0 ? 0 : !outcomes[i].status.ok() ? 1 : 2; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (group(a) != group(b)) return group(a) < group(b);
    if (group(a) != 0) return false;
    if (LevelRank(rules[a].level) != LevelRank(rules[b].level))
      return LevelRank(rules[a].level) < LevelRank(rules[b].level);
    return outcomes[a].hits > outcomes[b].hits;
  });
  return order;
}

void WriteSummary(const std::vector<HuntRule>& rules, const std::vector<HuntOutcome>& outcomes) {
  std::vector<std::vector<std::string>> rows;
  bool sigma_hits = false;
  for (size_t i : SummaryOrder(rules, outcomes)) {
    const HuntOutcome& o = outcomes[i];
    std::string hits = !o.status.ok() ? "failed" : std::to_string(o.hits);
    rows.push_back({rules[i].title, HuntKindName(rules[i].kind), rules[i].level, rules[i].author, hits,
                    o.first_us ? FormatUtc(*o.first_us) : "", o.last_us ? FormatUtc(*o.last_us) : ""});
    sigma_hits |= rules[i].kind == HuntKind::kSigma && o.hits > 0;
  }
  std::string table = RenderTable({"rule", "kind", "level", "author", "hits", "first", "last"}, rows,
                                  TerminalWidth() ? TerminalWidth() : 200);
  std::fwrite(table.data(), 1, table.size(), stdout);
  if (sigma_hits)
    std::fputs("Sigma rules are under the Detection Rule License (DRL) 1.1; their authors are named above.\n", stdout);
}

void WriteList(const HuntRuleSet& set) {
  std::vector<std::vector<std::string>> rows;
  for (const HuntRule& r : set.rules) rows.push_back({HuntKindName(r.kind), r.title, r.level, r.author, r.file});
  std::string table = RenderTable({"kind", "rule", "level", "author", "file"}, rows, TerminalWidth() ? TerminalWidth() : 200);
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::printf("%zu rules can run", set.rules.size());
  if (!set.problems.empty()) std::printf(", %zu cannot:", set.problems.size());
  std::printf("\n");
  for (const HuntProblem& p : set.problems) std::printf("  cannot run: %s\n", p.Render().c_str());
}

}  // namespace

int RunHunt(const GlobalOptions& global, const std::vector<std::string>& args) {
  HuntArgs ha;
  if (int code = ParseHuntArgs(args, &ha); code >= 0) return code;
  HuntRuleSet set = LoadHuntRules(ha.paths);
  if (ha.list) {
    WriteList(set);
    return 0;
  }
  // One message for an index that cannot be opened, not one per rule.
  if (auto opened = Searcher::Open(global.index_dir); !opened.ok()) {
    PrintError(opened.status());
    return 2;
  }
  if (ha.format != HuntFormat::kSarif)
    for (const HuntProblem& p : set.problems) std::fprintf(stderr, "cairn hunt: cannot run %s\n", p.Render().c_str());
  bool progress = !ha.quiet && ::isatty(2);
  if (progress)
    ha.options.progress = [](size_t done, size_t total) {
      std::fprintf(stderr, "\rhunting: %zu of %zu rules", done, total);
      if (done == total) std::fputs("\r\033[K", stderr);
    };
  // NDJSON alerts are rendered by the thread that ran the rule and released there, then
  // written in the rules' order as soon as the rules before have been.
  std::vector<std::optional<std::vector<std::string>>> json_alerts(set.rules.size());
  size_t next_to_write = 0;
  std::mutex write_mutex;
  if (ha.format == HuntFormat::kJson)
    ha.options.on_outcome = [&](size_t rule, HuntOutcome* o) {
      std::vector<std::string> lines = JsonAlerts(set.rules[rule], *o);
      o->alerts = {};
      std::lock_guard<std::mutex> lock(write_mutex);
      json_alerts[rule] = std::move(lines);
      for (; next_to_write < json_alerts.size() && json_alerts[next_to_write]; ++next_to_write) {
        for (const std::string& piece : *json_alerts[next_to_write])
          std::fwrite(piece.data(), 1, piece.size(), stdout);
        json_alerts[next_to_write]->clear();
      }
    };
  // Alerts are out (and flushed) before --since last records them as reported.
  ha.options.deliver = [&](const std::vector<HuntOutcome>& outcomes) {
    switch (ha.format) {
      case HuntFormat::kJson:
        break;  // written by on_outcome as each rule finished
      case HuntFormat::kSarif:
        WriteSarif(set.rules, outcomes, set.problems);
        break;
      case HuntFormat::kTable:
        WriteSummary(set.rules, outcomes);
        break;
    }
    return std::fflush(stdout) == 0 && !std::ferror(stdout);
  };
  Status state_status;
  std::vector<HuntOutcome> outcomes = RunHunts(global.index_dir, set.rules, ha.options, &state_status);
  bool failed = !set.problems.empty() || !state_status.ok();
  bool hits = false;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    const HuntOutcome& o = outcomes[i];
    hits |= o.hits > 0;
    if (!o.status.ok()) {
      failed = true;
      std::string where = set.rules[i].file + (set.rules[i].query_line > 0 ? ":" + std::to_string(set.rules[i].query_line) : "");
      std::fprintf(stderr, "cairn hunt: %s failed: %s\n", where.c_str(), ErrorText(o.status).c_str());
    }
    if (ha.verbose)
      for (const std::string& w : o.warnings) std::fprintf(stderr, "%s: %s", set.rules[i].file.c_str(), w.c_str());
    if (o.truncated && !ha.quiet)
      std::fprintf(stderr, "cairn hunt: %s: %llu hits, the first %zu shown (--max-alerts)\n",
                   set.rules[i].file.c_str(), static_cast<unsigned long long>(o.hits), o.kept);
  }
  if (!state_status.ok())
    std::fprintf(stderr, "cairn hunt: --since last: %s\n", ErrorText(state_status).c_str());
  return failed ? 2 : hits ? 1 : 0;
}

int RunSigma(const GlobalOptions& global, const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kSigmaUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "convert") {
    std::fprintf(stderr, "cairn sigma: unknown subcommand '%s'\n%s", args[0].c_str(), kSigmaUsage);
    return 2;
  }
  std::vector<std::string> paths(args.begin() + 1, args.end());
  if (paths.empty()) {
    std::fputs(kSigmaUsage, stderr);
    return 2;
  }
  HuntRuleSet set = LoadHuntRules(paths);
  for (const HuntRule& r : set.rules) {
    if (r.kind != HuntKind::kSigma) continue;
    std::printf("# %s (%s, by %s)\n%s\n", r.title.c_str(), r.file.c_str(), r.author.c_str(), r.query.c_str());
  }
  for (const HuntProblem& p : set.problems) std::fprintf(stderr, "cairn sigma: cannot convert %s\n", p.Render().c_str());
  return set.problems.empty() ? 0 : 2;
}

}  // namespace cairn::shell
