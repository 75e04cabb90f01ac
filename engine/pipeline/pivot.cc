#include "engine/pipeline/pivot.h"

#include <algorithm>
#include <cctype>

namespace cairn::engine {

namespace {
// Internal series keys that no field value can take.
const std::string kNoSplit = "";
const std::string kOtherKey = std::string("\x01") + "other";
const std::string kNullKey = std::string("\x01") + "null";

bool ZeroWhenEmpty(AggFn fn) { return fn == AggFn::kCount || fn == AggFn::kDistinctCount; }

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s->find(from, pos)) != std::string::npos; pos += to.size()) s->replace(pos, from.size(), to);
}
}  // namespace

std::vector<OptionSpec> PivotOptionSpecs() {
  return {{"limit", OptionType::kText, "10", "series kept: N, topN or bottomN; 0 keeps all"},
          {"useother", OptionType::kBool, "true", "add the series past the limit up in OTHER"},
          {"usenull", OptionType::kBool, "true", "records lacking the by-field make a NULL series"},
          {"otherstr", OptionType::kText, "OTHER", "the name of the OTHER series"},
          {"nullstr", OptionType::kText, "NULL", "the name of the NULL series"},
          {"sep", OptionType::kText, ": ", "between aggregation and series in column names"},
          {"format", OptionType::kText, "", "column names from $AGG$ and $VAL$"}};
}

bool ReadPivotOptions(const CommandArgs& args, const query::CommandNode& node, PivotOptions* out,
                      std::optional<query::Diagnostic>* error) {
  std::string limit = args.Text("limit");
  std::string digits = limit;
  if (limit.rfind("top", 0) == 0) digits = limit.substr(3);
  else if (limit.rfind("bottom", 0) == 0) {
    digits = limit.substr(6);
    out->keep_bottom = true;
  }
  if (!ParseCount(digits, &out->limit)) {
    *error = ArgError(node.name + ": limit=" + limit + " is not a number", node.args_span, "limit=N, limit=topN or limit=bottomN");
    return false;
  }
  out->useother = args.Bool("useother");
  out->usenull = args.Bool("usenull");
  out->otherstr = args.Text("otherstr");
  out->nullstr = args.Text("nullstr");
  out->sep = args.Text("sep");
  out->format = args.Text("format");
  return true;
}

bool ReadSplitClause(const query::CommandNode& node, const std::vector<std::string>& by, std::string* split,
                     PivotOptions* options, std::optional<query::Diagnostic>* error) {
  if (by.empty()) return true;
  *split = by[0];
  if (by.size() == 1) return true;
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  if (by.size() == 4 && lower(by[1]) == "where" && lower(by[2]) == "in") {
    std::string rank = lower(by[3]);
    std::string digits = rank.rfind("top", 0) == 0 ? rank.substr(3) : rank.rfind("bottom", 0) == 0 ? rank.substr(6) : "";
    if (ParseCount(digits, &options->limit)) {
      options->keep_bottom = rank[0] == 'b';
      return true;
    }
  }
  if (by.size() == 5 && lower(by[1]) == "where" && lower(by[3]) == "in") {
    return ReadSplitClause(node, {by[0], by[1], by[3], by[4]}, split, options, error);
  }
  *error = ArgError(node.name + " takes one by-field, optionally with `where count in top5`", node.args_span,
                    "for two fields use chart ... over X by Y, or stats ... by X Y");
  return false;
}

const std::string& PivotNullKey() { return kNullKey; }
const std::string& PivotOtherKey() { return kOtherKey; }

void SelectSeries(std::vector<std::pair<double, std::string>> totals, const PivotOptions& options, bool has_split,
                  std::vector<std::string>* kept, bool* has_other) {
  // The NULL series is not one of the `limit` series: it is shown after them, never in OTHER.
  auto null_series = std::find_if(totals.begin(), totals.end(), [](const auto& t) { return t.second == kNullKey; });
  bool has_null = null_series != totals.end();
  if (has_null) totals.erase(null_series);
  std::sort(totals.begin(), totals.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return options.keep_bottom ? a.first < b.first : a.first > b.first;
    return a.second < b.second;
  });
  size_t keep = options.limit == 0 || !has_split ? totals.size() : std::min<size_t>(options.limit, totals.size());
  std::vector<std::string> chosen;
  for (size_t i = 0; i < keep; ++i) chosen.push_back(totals[i].second);
  std::sort(chosen.begin(), chosen.end());  // lexicographic
  *kept = std::move(chosen);
  if (has_null) kept->push_back(kNullKey);
  *has_other = options.useother && keep < totals.size();
}

std::string PivotColumnName(const Aggregation& a, size_t aggregations, const std::string& series, bool has_split,
                            const PivotOptions& options) {
  std::string value = series == kOtherKey ? options.otherstr : series == kNullKey ? options.nullstr : series;
  if (!has_split) return a.output;
  if (aggregations == 1 && options.format.empty()) return value;
  if (!options.format.empty()) {
    std::string name = options.format;
    ReplaceAll(&name, "$AGG$", a.output);
    ReplaceAll(&name, "$VAL$", value);
    return name;
  }
  return a.output + options.sep + value;
}

PivotTable::PivotTable(std::vector<Aggregation> aggs, std::string split, PivotOptions options)
    : aggs_(std::move(aggs)), split_(std::move(split)), options_(std::move(options)) {}

std::vector<std::string> PivotTable::SeriesOf(const Record& r) const {
  if (split_.empty()) return {kNoSplit};
  const FieldCell* c = r.Get(split_);
  if (c == nullptr || c->empty()) {
    if (options_.usenull) return {kNullKey};
    return {};
  }
  std::vector<std::string> out;
  for (const std::string& v : *c)
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

std::vector<AggState>& PivotTable::Cell(const std::string& x, const std::string& series) {
  auto& row = cells_[x];
  auto it = row.find(series);
  if (it == row.end()) it = row.emplace(series, std::vector<AggState>(aggs_.size())).first;
  return it->second;
}

void PivotTable::Add(const std::string& x, const Record& r, int64_t time_us, EvalContext* ec) {
  for (const std::string& series : SeriesOf(r)) {
    all_series_.insert(series);
    FeedRecord(aggs_, r, time_us, ec, &Cell(x, series));
  }
}

bool PivotTable::ChooseSeries() {
  std::vector<std::pair<double, std::string>> totals;
  for (const std::string& series : all_series_) {
    double sum = 0;
    for (const auto& [x, row] : cells_) {
      auto it = row.find(series);
      if (it == row.end()) continue;
      FieldCell v = FinishAggregation(aggs_[0], it->second[0]);
      if (!v.empty())
        if (auto n = TextNumber(v[0])) sum += *n;
    }
    totals.emplace_back(sum, series);
  }
  SelectSeries(std::move(totals), options_, !split_.empty(), &kept_, &has_other_);
  kept_set_.insert(kept_.begin(), kept_.end());
  return has_other_;
}

void PivotTable::AddOther(const std::string& x, const Record& r, int64_t time_us, EvalContext* ec) {
  if (!has_other_) return;
  std::vector<std::string> series = SeriesOf(r);
  bool fed = false;
  for (const std::string& s : series) {
    if (kept_set_.count(s) || fed) continue;
    FeedRecord(aggs_, r, time_us, ec, &Cell(x, kOtherKey));
    fed = true;  // a record counts once in OTHER, whatever its number of dropped values
  }
}

std::string PivotTable::ColumnName(const Aggregation& a, const std::string& series) const {
  return PivotColumnName(a, aggs_.size(), series, !split_.empty(), options_);
}

std::vector<std::string> PivotTable::XValues() const {
  std::vector<std::string> out;
  for (const auto& [x, _] : cells_) out.push_back(x);
  return out;
}

std::vector<Record> PivotTable::Output(const std::vector<std::string>& x_order, const std::string& x_name,
                                       ValueKind x_kind, std::vector<std::string>* columns) const {
  std::vector<std::string> series = kept_;
  if (has_other_) series.push_back(kOtherKey);
  columns->assign(1, x_name);
  for (const std::string& s : series)
    for (const Aggregation& a : aggs_) columns->push_back(ColumnName(a, s));
  std::vector<Record> out;
  out.reserve(x_order.size());
  for (const std::string& x : x_order) {
    Record r;
    r.Set(x_name, FieldCell({x}, x_kind));
    auto row = cells_.find(x);
    for (const std::string& s : series) {
      const std::vector<AggState>* states = nullptr;
      if (row != cells_.end())
        if (auto it = row->second.find(s); it != row->second.end()) states = &it->second;
      for (size_t a = 0; a < aggs_.size(); ++a) {
        FieldCell v;
        if (states) v = FinishAggregation(aggs_[a], (*states)[a]);
        if (v.empty() && ZeroWhenEmpty(aggs_[a].fn)) v = FieldCell({"0"}, ValueKind::kNumber);
        r.Set(ColumnName(aggs_[a], s), std::move(v));
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace cairn::engine
