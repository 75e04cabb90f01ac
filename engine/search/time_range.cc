#include "engine/search/time_range.h"

#include "engine/ingest/time_parse.h"
#include "query/time_modifier.h"

namespace cairn::engine {

using query::SearchNode;

namespace {

bool IsTimeTerm(const SearchNode& n) {
  return n.kind == SearchNode::Kind::kCompare && (n.field == "earliest" || n.field == "latest");
}

const SearchNode* FindNestedTimeTerm(const SearchNode* n) {
  if (n == nullptr) return nullptr;
  if (IsTimeTerm(*n)) return n;
  for (const auto& c : n->children)
    if (const SearchNode* t = FindNestedTimeTerm(c.get())) return t;
  return nullptr;
}

}  // namespace

Status ResolveOptionRange(const std::optional<std::string>& earliest, const std::optional<std::string>& latest,
                          int64_t now_us, TimeRange* range) {
  std::string error;
  if (earliest && earliest->empty()) return Status::InvalidArgument("--earliest needs a time, such as -24h");
  if (latest && latest->empty()) return Status::InvalidArgument("--latest needs a time, such as now");
  if (earliest) {
    range->earliest_us = query::ResolveTimeModifier(*earliest, now_us, &error);
    if (!range->earliest_us) return Status::InvalidArgument("--earliest '" + *earliest + "': " + error);
  }
  if (latest) {
    range->latest_us = query::ResolveTimeModifier(*latest, now_us, &error);
    if (!range->latest_us) return Status::InvalidArgument("--latest '" + *latest + "': " + error);
  }
  return Status::OK();
}

std::optional<query::Diagnostic> ExtractTimeRange(query::QueryAst* ast, int64_t now_us, TimeRange* range) {
  std::string error;
  std::vector<std::unique_ptr<SearchNode>> time_terms;
  std::unique_ptr<SearchNode>& root = ast->search;
  if (root && IsTimeTerm(*root)) {
    time_terms.push_back(std::move(root));
    root.reset();
  } else if (root && root->kind == SearchNode::Kind::kAnd) {
    auto& kids = root->children;
    for (size_t i = 0; i < kids.size();) {
      if (IsTimeTerm(*kids[i])) {
        time_terms.push_back(std::move(kids[i]));
        kids.erase(kids.begin() + static_cast<long>(i));
      } else {
        ++i;
      }
    }
    if (kids.empty()) root.reset();
    else if (kids.size() == 1) root = std::move(kids[0]);
  }
  if (const SearchNode* nested = FindNestedTimeTerm(root.get())) {
    query::Diagnostic d;
    d.message = nested->field + "= must apply to the whole search, not inside OR or NOT";
    d.span = nested->span;
    return d;
  }
  for (const auto& t : time_terms) {
    if (t->op != query::CompareOp::kEq) {
      query::Diagnostic d;
      d.message = t->field + " takes '=', as in " + t->field + "=-24h";
      d.span = t->span;
      return d;
    }
    auto v = query::ResolveTimeModifier(t->value, now_us, &error);
    if (!v) {
      query::Diagnostic d;
      d.message = error;
      d.span = t->value_span;
      return d;
    }
    if (t->field == "earliest") range->earliest_us = v; else range->latest_us = v;
  }
  return std::nullopt;
}

std::string DescribeRange(const TimeRange& range) {
  if (!range.earliest_us && !range.latest_us) return "all time";
  std::string from = range.earliest_us ? FormatTimestamp(*range.earliest_us) : "the beginning";
  std::string to = range.latest_us ? FormatTimestamp(*range.latest_us) : "now";
  return from + " to " + to;
}

}  // namespace cairn::engine
