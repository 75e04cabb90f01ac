#include "query/binder.h"

#include <algorithm>
#include <set>

#include "query/time_modifier.h"
#include "storage/text.h"

namespace cairn::query {

namespace {

bool HasWildcard(std::string_view s) {
  return s.find('*') != std::string_view::npos;
}

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

// Takes the time terms out of the top level of the search and applies them to `range`.
std::optional<Diagnostic> ExtractTimeRange(QueryAst* ast, int64_t now_us, TimeRange* range) {
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
    if (kids.empty())
      root.reset();
    else if (kids.size() == 1)
      root = std::move(kids[0]);
  }
  if (const SearchNode* nested = FindNestedTimeTerm(root.get())) {
    Diagnostic d;
    d.message = nested->field + "= must apply to the whole search, not inside OR or NOT";
    d.span = nested->span;
    return d;
  }
  std::string error;
  for (const auto& t : time_terms) {
    if (t->op != CompareOp::kEq) {
      Diagnostic d;
      d.message = t->field + " takes '=', as in " + t->field + "=-24h";
      d.span = t->span;
      return d;
    }
    auto v = ResolveTimeModifier(t->value, now_us, &error);
    if (!v) {
      Diagnostic d;
      d.message = error;
      d.span = t->value_span;
      return d;
    }
    if (t->field == "earliest")
      range->earliest_us = v;
    else
      range->latest_us = v;
  }
  return std::nullopt;
}

Status ResolveOptionRange(const BindOptions& options, TimeRange* range) {
  std::string error;
  if (options.earliest && options.earliest->empty())
    return Status::InvalidArgument("--earliest needs a time, such as -24h");
  if (options.latest && options.latest->empty())
    return Status::InvalidArgument("--latest needs a time, such as now");
  if (options.earliest) {
    range->earliest_us = ResolveTimeModifier(*options.earliest, options.now_us, &error);
    if (!range->earliest_us)
      return Status::InvalidArgument("--earliest '" + *options.earliest + "': " + error);
  }
  if (options.latest) {
    range->latest_us = ResolveTimeModifier(*options.latest, options.now_us, &error);
    if (!range->latest_us) return Status::InvalidArgument("--latest '" + *options.latest + "': " + error);
  }
  return Status::OK();
}

// The folded parts of `text` between breakers.
std::vector<std::string> SplitParts(std::string_view text) {
  std::vector<std::string> parts;
  storage::ForEachPart(text, [&](std::string_view part) { parts.emplace_back(part); });
  return parts;
}

class Binder {
 public:
  Binder(const IndexSchema* schema, const std::string* query,
         const std::vector<std::string>* computed = nullptr)
      : schema_(schema), query_(query), computed_(computed) {}

  std::unique_ptr<Predicate> Bind(const SearchNode& n) {
    auto p = std::make_unique<Predicate>();
    p->span = n.span;
    if (query_ != nullptr && n.span.end <= query_->size())
      p->text = query_->substr(n.span.begin, n.span.end - n.span.begin);
    switch (n.kind) {
      case SearchNode::Kind::kAnd:
      case SearchNode::Kind::kOr:
      case SearchNode::Kind::kNot:
        p->kind = n.kind == SearchNode::Kind::kAnd  ? PredicateKind::kAnd
                  : n.kind == SearchNode::Kind::kOr ? PredicateKind::kOr
                                                    : PredicateKind::kNot;
        for (const auto& c : n.children) p->children.push_back(Bind(*c));
        return p;
      case SearchNode::Kind::kTerm:
        BindTerm(n, p.get());
        return p;
      case SearchNode::Kind::kCompare:
        if (n.object_text && schema_ != nullptr && n.op == CompareOp::kEq)
          return BindObjectCompare(n, std::move(p));
        BindCompare(n, p.get());
        return p;
      case SearchNode::Kind::kRegex:
        SetField(n, p.get());
        p->kind = PredicateKind::kFieldRegex;
        p->value = n.value;
        return p;
      case SearchNode::Kind::kFieldRef:
        SetField(n, p.get());
        p->kind = PredicateKind::kFieldRef;
        p->value = n.value;
        p->other_fields = schema_ != nullptr ? schema_->Resolve(n.value) : std::vector<std::string>{n.value};
        return p;
      case SearchNode::Kind::kEval: {
        // The value is computed per event; the predicate on it sees only that field.
        p->kind = PredicateKind::kEvalMatch;
        p->field = n.eval->field;
        p->fields = {n.eval->field};
        p->eval = n.eval;
        Binder plain(nullptr, nullptr);
        p->children.push_back(plain.Bind(*n.children[0]));
        if (p->text.empty()) p->text = n.eval->field + " = " + n.eval->text;
        return p;
      }
      case SearchNode::Kind::kIn:
        p->kind = PredicateKind::kOr;
        for (const std::string& v : n.values) {
          auto child = std::make_unique<Predicate>();
          child->span = n.span;
          child->text = n.field + "=" + v;
          SetField(n, child.get());
          BindValueMatch(v, false, child.get());
          p->children.push_back(std::move(child));
        }
        return p;
    }
    return p;
  }

  std::vector<Diagnostic> TakeWarnings() { return std::move(warnings_); }

 private:
  void BindTerm(const SearchNode& n, Predicate* p) {
    p->value = n.value;
    p->case_sensitive = n.case_sensitive;
    p->folded = storage::Fold(n.value);
    if (n.value == "*") {
      p->kind = PredicateKind::kAll;
      return;
    }
    if (HasWildcard(p->folded)) {
      p->kind = PredicateKind::kTokenPattern;
      return;
    }
    if (n.whole_term) {
      p->kind = PredicateKind::kWholeTerm;
      return;
    }
    p->parts = SplitParts(p->folded);
    bool major = false;
    for (char c : n.value) major |= storage::IsMajorBreaker(c);
    if (p->parts.empty())
      p->kind = PredicateKind::kNone;
    else if (n.case_sensitive || major)
      p->kind = PredicateKind::kPhrase;
    else if (p->parts.size() == 1 && p->parts[0] == p->folded)
      p->kind = PredicateKind::kToken;
    else
      p->kind = PredicateKind::kTokenInside;
  }

  void SetField(const SearchNode& n, Predicate* p) {
    p->field = n.field;
    if (schema_ == nullptr) {
      p->fields = {n.field};
      return;
    }
    p->fields = schema_->Resolve(n.field);
    if (!p->fields.empty() || !warned_.insert(n.field).second) return;
    if (computed_ != nullptr && std::find(computed_->begin(), computed_->end(), n.field) != computed_->end())
      return;
    Diagnostic d;
    d.severity = Diagnostic::Severity::kWarning;
    d.message = "no event has the field '" + n.field + "' (field names are case-sensitive)";
    d.span = n.field_span;
    std::vector<std::string> close = schema_->Suggest(n.field);
    if (!close.empty()) {
      d.hint = "did you mean ";
      for (size_t i = 0; i < close.size(); ++i) d.hint += (i ? ", " : "") + std::string("'") + close[i] + "'";
      d.hint += "?";
    }
    warnings_.push_back(d);
  }

  // A Sigma value on a field that may be an object: its leaves' values as usual, or where
  // the index has the field as an object or array, that object's JSON text.
  std::unique_ptr<Predicate> BindObjectCompare(const SearchNode& n, std::unique_ptr<Predicate> p) {
    std::vector<std::string> children = schema_->Children(n.field);
    if (children.empty()) {
      BindCompare(n, p.get());
      return p;
    }
    auto object = std::make_unique<Predicate>();
    object->span = n.span;
    object->text = n.field + " JSON text = " + n.value;
    object->kind = PredicateKind::kObjectText;
    object->field = n.field;
    object->fields = std::move(children);
    object->value = n.value;
    object->folded = storage::Fold(n.value);
    std::vector<std::string> leaves = schema_->Resolve(n.field);
    if (leaves.empty()) return object;
    auto either = std::make_unique<Predicate>();
    either->kind = PredicateKind::kOr;
    either->span = n.span;
    either->text = p->text;
    BindCompare(n, p.get());
    either->children.push_back(std::move(p));
    either->children.push_back(std::move(object));
    return either;
  }

  // f=v: presence, a CIDR block, a pattern or a value.
  void BindValueMatch(const std::string& value, bool case_sensitive, Predicate* p, bool literal = false) {
    p->value = value;
    p->case_sensitive = case_sensitive;
    p->folded = storage::Fold(value);
    if (value == "*" && !case_sensitive) {
      p->kind = PredicateKind::kFieldPresent;
    } else if (auto cidr = HasWildcard(value) || literal ? std::nullopt : ParseCidr(value)) {
      p->kind = PredicateKind::kFieldCidr;
      p->cidr = cidr;
    } else if (HasWildcard(p->folded)) {
      p->kind = PredicateKind::kFieldPattern;
    } else {
      p->kind = PredicateKind::kFieldEquals;
    }
  }

  void BindCompare(const SearchNode& n, Predicate* p) {
    SetField(n, p);
    switch (n.op) {
      case CompareOp::kEq:
        BindValueMatch(n.value, n.case_sensitive, p, n.literal);
        return;
      case CompareOp::kNe: {
        p->value = n.value;
        if (n.value == "*") {
          p->kind = PredicateKind::kFieldNever;
          return;
        }
        p->kind = PredicateKind::kFieldNotEquals;
        auto match = std::make_unique<Predicate>();
        match->span = n.span;
        match->text = n.field + "=" + n.value;
        match->field = p->field;
        match->fields = p->fields;
        BindValueMatch(n.value, n.case_sensitive, match.get(), n.literal);
        p->children.push_back(std::move(match));
        return;
      }
      default:
        p->kind = PredicateKind::kFieldCompare;
        p->op = n.op;
        p->value = n.value;
        p->number = storage::ParseNumber(n.value);
        return;
    }
  }

  const IndexSchema* schema_;
  const std::string* query_;
  const std::vector<std::string>* computed_;
  std::set<std::string> warned_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace

Result<LogicalPlan> Bind(QueryAst* ast, const QueryText& query, const IndexSchema& schema,
                         const BindOptions& options) {
  LogicalPlan plan;
  if (Status st = ResolveOptionRange(options, &plan.range); !st.ok()) return st;
  if (auto error = ExtractTimeRange(ast, options.now_us, &plan.range)) return query.Error(*error);
  if (ast->search) {
    Binder binder(&schema, &query.text(), &options.computed_fields);
    plan.search = binder.Bind(*ast->search);
    plan.warnings = binder.TakeWarnings();
  }
  return plan;
}

std::unique_ptr<Predicate> BindExpression(const SearchNode& node) {
  Binder binder(nullptr, nullptr);
  return binder.Bind(node);
}

}  // namespace cairn::query
