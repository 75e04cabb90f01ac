// Unit tests for the aggregation functions added for timechart and chart (median, the
// percentiles, stdev, var, mode, rate), time buckets (time_span.h) and the pivot table of
// chart/timechart (pivot.h). Expected values are computed by hand from the rules in
// docs/query-language.md.
#include <doctest/doctest.h>

#include "engine/pipeline/aggregation.h"
#include "engine/pipeline/pivot.h"
#include "engine/pipeline/time_span.h"

using namespace cairn::engine;

namespace {

std::string Aggregate(const char* name, const std::vector<std::string>& values) {
  auto fn = ParseAggFn(name);
  REQUIRE(fn);
  AggState s;
  int64_t t = 0;
  for (const auto& v : values) Feed(fn->fn, v, TextNumber(v), t += 1000000, &s);
  FieldCell c = Finish(*fn, s);
  return c.empty() ? "null" : c[0];
}

Record Row(const std::string& series, const std::string& bytes = "") {
  Record r;
  if (!series.empty()) r.Set("user", {series});
  if (!bytes.empty()) r.Set("bytes", {bytes});
  return r;
}

Aggregation Agg(const char* name, const std::string& field) {
  auto fn = ParseAggFn(name);
  Aggregation a{fn->fn, field, field.empty() ? name : std::string(name) + "(" + field + ")", nullptr, fn->percent, name};
  return a;
}

}  // namespace

TEST_CASE("median, percentiles, stdev, var, mode, rate") {
  std::vector<std::string> ten = {"10", "9", "8", "7", "6", "5", "4", "3", "2", "1"};
  CHECK(Aggregate("perc50", ten) == "5.5");    // Splunk's documented example
  CHECK(Aggregate("perc95", ten) == "9.55");
  CHECK(Aggregate("p25", ten) == "3.25");
  CHECK(Aggregate("exactperc100", ten) == "10");
  CHECK(Aggregate("median", ten) == "6");      // even count: the higher middle value
  CHECK(Aggregate("median", {"3", "1", "2"}) == "2");
  CHECK(Aggregate("median", {"a", "b"}) == "null");
  CHECK(Aggregate("stdev", {"2", "4", "4", "4", "5", "5", "7", "9"}) == "2.1380899352994");  // sqrt(32/7) = 2.138089935299395, 15 digits
  CHECK(Aggregate("stdevp", {"2", "4", "4", "4", "5", "5", "7", "9"}) == "2");
  CHECK(Aggregate("var", {"1", "2", "3", "4"}) == "1.66666666666667");
  CHECK(Aggregate("varp", {"1", "2", "3", "4"}) == "1.25");
  CHECK(Aggregate("stdev", {"5"}) == "0");
  CHECK(Aggregate("sumsq", {"1", "2", "x", "3"}) == "14");
  CHECK(Aggregate("mode", {"b", "a", "b", "a", "c"}) == "b");  // a tie goes to the first seen
  CHECK(Aggregate("rate", {"100", "160"}) == "60");            // 60 per second
  CHECK(Aggregate("earliest_time", {"1", "2"}) == "1");
  CHECK(Aggregate("latest_time", {"1", "2"}) == "2");
  CHECK_FALSE(ParseAggFn("perc101"));
  CHECK_FALSE(ParseAggFn("percx"));
  CHECK(ParseAggFn("p99.9")->percent == doctest::Approx(99.9));
}

TEST_CASE("time buckets: spans, alignment, months, the automatic span") {
  TimeBuckets b;
  b.span = *ParseTimeSpan("10m");
  CHECK(b.Start(1766225400000000 + 599999999) == 1766225400000000);  // 2025-12-20T10:10:00Z + 9m59.999999s
  CHECK(b.Next(1766225400000000) == 1766226000000000);
  b.AlignTo(1766225460000000);  // buckets start at minute 1, 11, 21, ...
  CHECK(b.Start(1766225400000000) == 1766224860000000);
  TimeBuckets m;
  m.span = *ParseTimeSpan("1mon");
  CHECK(m.Start(1766225400000000) == 1764547200000000);  // 2025-12-01
  CHECK(m.Next(1764547200000000) == 1767225600000000);   // 2026-01-01
  CHECK(AutoTimeSpan(0, 3600LL * 1000000, 100).seconds == 60);     // an hour in at most 100 buckets: 1m
  CHECK(AutoTimeSpan(0, 99LL * 1000000, 100).seconds == 1);
  CHECK(AutoTimeSpan(0, 100LL * 1000000, 100).seconds == 5);       // 101 one-second buckets are too many
  CHECK(AutoTimeSpan(0, 3600LL * 1000000, 100, 600).seconds == 600);  // minspan
}

TEST_CASE("pivot: limit keeps the largest series, OTHER adds the rest, NULL, zero-filled counts") {
  PivotOptions o;
  o.limit = 2;
  PivotTable t({Agg("count", "")}, "user", o);
  EvalContext ec;
  std::vector<std::pair<std::string, Record>> rows = {
      {"t1", Row("alice")}, {"t1", Row("alice")}, {"t1", Row("bob")}, {"t2", Row("carol")},
      {"t2", Row("alice")}, {"t2", Row("")},      {"t2", Row("dave")}, {"t1", Row("bob")}};
  for (auto& [x, r] : rows) t.Add(x, r, 0, &ec);
  REQUIRE(t.ChooseSeries());  // alice 3 and bob 2 kept, NULL beside them; carol and dave (1 each) are OTHER
  for (auto& [x, r] : rows) t.AddOther(x, r, 0, &ec);
  std::vector<std::string> columns;
  std::vector<Record> out = t.Output({"t1", "t2", "t3"}, "_time", cairn::ValueKind::kNumber, &columns);
  CHECK(columns == std::vector<std::string>{"_time", "alice", "bob", "NULL", "OTHER"});
  REQUIRE(out.size() == 3);
  CHECK((*out[0].Get("alice"))[0] == "2");
  CHECK((*out[0].Get("bob"))[0] == "2");
  CHECK((*out[0].Get("OTHER"))[0] == "0");
  CHECK((*out[1].Get("NULL"))[0] == "1");
  CHECK((*out[1].Get("OTHER"))[0] == "2");
  CHECK((*out[2].Get("alice"))[0] == "0");  // a bucket without events: counts are 0
}

TEST_CASE("pivot: several aggregations name columns agg: value; empty non-count cells stay empty") {
  PivotOptions o;
  o.limit = 0;
  o.usenull = false;
  PivotTable t({Agg("count", ""), Agg("avg", "bytes")}, "user", o);
  EvalContext ec;
  t.Add("x", Row("a", "10"), 0, &ec);
  t.Add("x", Row("a", "20"), 0, &ec);
  t.Add("y", Row("b"), 0, &ec);
  t.Add("y", Row("", "5"), 0, &ec);  // no user, usenull=false: left out
  CHECK_FALSE(t.ChooseSeries());
  std::vector<std::string> columns;
  std::vector<Record> out = t.Output({"x", "y"}, "x", cairn::ValueKind::kString, &columns);
  CHECK(columns == std::vector<std::string>{"x", "count: a", "avg(bytes): a", "count: b", "avg(bytes): b"});
  CHECK((*out[0].Get("avg(bytes): a"))[0] == "15");
  CHECK(out[0].Get("avg(bytes): b") == nullptr);
  CHECK((*out[1].Get("count: b"))[0] == "1");
}

TEST_CASE("sparkline: one block per bucket, scaled to the largest, blank for none") {
  Aggregation a = Agg("count", "");
  a.sparkline = true;
  a.spark_span_us = 1000000;
  std::vector<Record> rows;
  for (int64_t t : {0, 0, 0, 0, 2, 3, 3}) {
    Record r;
    r.Set("_time", {std::to_string(t)});
    rows.push_back(r);
  }
  std::vector<Aggregation> aggs = {a};
  PrepareSparklines(&aggs, rows);
  CHECK(aggs[0].spark_first == 0);
  CHECK(aggs[0].spark_last == 3);
  std::vector<AggState> states(1);
  EvalContext ec;
  for (const Record& r : rows) FeedRecord(aggs, r, RecordTimeMicros(r), &ec, &states);
  // counts 4, 0, 1, 2 of a maximum of 4: full, blank, 2/8 and 4/8 of a block
  CHECK(FinishAggregation(aggs[0], states[0])[0] == "█ ▂▄");
}
