#include "engine/search/field_expansion.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace cairn::engine {

namespace {

using query::CompareOp;
using query::EvalExpr;
using query::SearchNode;
using Kind = SearchNode::Kind;

// An alias of an alias of ... stops here (a cycle in a props.conf, or a very long chain).
constexpr int kMaxDepth = 4;

std::unique_ptr<SearchNode> Group(Kind kind, const SearchNode& like) {
  auto n = std::make_unique<SearchNode>();
  n->kind = kind;
  n->span = like.span;
  return n;
}

std::unique_ptr<SearchNode> Compare(const std::string& field, const std::string& value,
                                    const SearchNode& like) {
  auto n = std::make_unique<SearchNode>();
  n->kind = Kind::kCompare;
  n->span = like.span;
  n->field_span = like.field_span;
  n->value_span = like.value_span;
  n->field = field;
  n->op = CompareOp::kEq;
  n->value = value;
  n->quoted = true;
  n->literal = true;
  return n;
}

std::unique_ptr<SearchNode> Not(std::unique_ptr<SearchNode> child) {
  auto n = Group(Kind::kNot, *child);
  n->children.push_back(std::move(child));
  return n;
}

bool IsFieldNode(const SearchNode& n) {
  return n.kind == Kind::kCompare || n.kind == Kind::kIn || n.kind == Kind::kRegex;
}

// True when the node matches values case-insensitively, as lower() and upper() leave them.
bool FoldsCase(const SearchNode& n) {
  if (n.kind == Kind::kIn) return true;
  return n.kind == Kind::kCompare && !n.case_sensitive && (n.op == CompareOp::kEq || n.op == CompareOp::kNe);
}

// The fields a calculated field takes its value from, first present first, when its
// expression is that simple for `node`; nullopt otherwise.
std::optional<std::vector<std::string>> FieldChain(const EvalExpr& e, const SearchNode& node) {
  if (e.kind == EvalExpr::Kind::kField) return std::vector<std::string>{e.text};
  if (e.kind != EvalExpr::Kind::kCall) return std::nullopt;
  if (e.text == "coalesce") {
    std::vector<std::string> names;
    for (const auto& a : e.args) {
      if (a->kind != EvalExpr::Kind::kField) return std::nullopt;
      names.push_back(a->text);
    }
    return names;
  }
  if ((e.text == "lower" || e.text == "upper") && e.args.size() == 1 &&
      e.args[0]->kind == EvalExpr::Kind::kField && FoldsCase(node))
    return std::vector<std::string>{e.args[0]->text};
  return std::nullopt;
}

class Expander {
 public:
  Expander(const SearchTimeFields& fields, const std::vector<std::string>* present)
      : fields_(fields), present_(present) {}

  void Walk(std::unique_ptr<SearchNode>* node) {
    SearchNode& n = **node;
    if (IsFieldNode(n) && fields_.Defines(n.field)) {
      *node = Expand(n, 0);
      return;
    }
    for (auto& c : n.children) Walk(&c);
  }

 private:
  // `node` on its own field, expanded when that field is defined and the depth allows.
  std::unique_ptr<SearchNode> On(const SearchNode& node, const std::string& field, int depth) {
    auto copy = query::CloneSearchNode(node);
    copy->field = field;
    if (field != node.field && depth < kMaxDepth && fields_.Defines(field)) return Expand(*copy, depth + 1);
    return copy;
  }

  std::unique_ptr<SearchNode> Present(const SearchNode& like, const std::string& field, int depth) {
    auto present = Compare(field, "*", like);
    present->quoted = false;
    present->literal = false;
    if (depth < kMaxDepth && fields_.Defines(field)) return Expand(*present, depth + 1);
    return present;
  }

  // The value is the first present field of `chain` (an entry equal to node.field is the
  // event's own field, not expanded again).
  std::unique_ptr<SearchNode> Chain(const SearchNode& node, const std::vector<std::string>& chain,
                                    int depth) {
    auto any = Group(Kind::kOr, node);
    for (size_t i = 0; i < chain.size(); ++i) {
      auto step = Group(Kind::kAnd, node);
      for (size_t j = 0; j < i; ++j)
        step->children.push_back(
            Not(chain[j] == node.field ? Compare(chain[j], "*", node) : Present(node, chain[j], depth)));
      if (chain[i] == node.field) {
        step->children.push_back(query::CloneSearchNode(node));
      } else {
        step->children.push_back(On(node, chain[i], depth));
      }
      if (step->children.size() == 1) {
        any->children.push_back(std::move(step->children[0]));
      } else {
        any->children.push_back(std::move(step));
      }
    }
    if (any->children.size() == 1) return std::move(any->children[0]);
    return any;
  }

  std::unique_ptr<SearchNode> Expand(const SearchNode& node, int depth) {
    auto any = Group(Kind::kOr, node);
    auto others = Group(Kind::kOr, node);  // the sourcetypes that define the field
    for (const auto& [sourcetype, def] : fields_.sourcetypes()) {
      // A sourcetype the index does not hold has no events to search (nor its fields).
      if (present_ != nullptr && std::find(present_->begin(), present_->end(), sourcetype) == present_->end())
        continue;
      std::unique_ptr<SearchNode> value;
      // Splunk applies the aliases on the event's own fields, then every EVAL at once on the
      // event as the aliases left it: below the top (the source of an alias, the input of an
      // EVAL) a field is the event's own or an alias, never an EVAL's result.
      auto calc = depth > 0 ? def.calculated.end()
                            : std::find_if(def.calculated.begin(), def.calculated.end(),
                                           [&](const CalculatedField& c) { return c.field == node.field; });
      if (calc != def.calculated.end()) {
        if (auto chain = FieldChain(*calc->expr, node)) {
          // An EVAL replaces the field: no fallback to the event's own, unless it reads it.
          value = Chain(node, *chain, depth);
        } else {
          value = Group(Kind::kEval, node);
          value->eval = SearchTimeFields::ForSearch(def, *calc);
          value->children.push_back(query::CloneSearchNode(node));
        }
      } else {
        std::vector<std::string> overwrite, asnew;
        for (const FieldAlias& a : def.aliases) {
          if (a.alias != node.field) continue;
          (a.overwrite ? overwrite : asnew).push_back(a.source);
        }
        if (overwrite.empty() && asnew.empty()) continue;
        // The last overwriting alias whose source is present wins, else the event's own
        // field, else the first ASNEW alias with a source.
        std::vector<std::string> chain(overwrite.rbegin(), overwrite.rend());
        chain.push_back(node.field);
        chain.insert(chain.end(), asnew.begin(), asnew.end());
        value = Chain(node, chain, depth);
      }
      auto branch = Group(Kind::kAnd, node);
      branch->children.push_back(Compare("sourcetype", sourcetype, node));
      branch->children.push_back(std::move(value));
      any->children.push_back(std::move(branch));
      others->children.push_back(Compare("sourcetype", sourcetype, node));
    }
    if (any->children.empty()) return query::CloneSearchNode(node);
    // Events of every other sourcetype: the field as it is.
    auto rest = Group(Kind::kAnd, node);
    rest->children.push_back(
        Not(others->children.size() == 1 ? std::move(others->children[0]) : std::move(others)));
    rest->children.push_back(query::CloneSearchNode(node));
    any->children.insert(any->children.begin(), std::move(rest));
    return any;
  }

  const SearchTimeFields& fields_;
  const std::vector<std::string>* present_;
};

}  // namespace

void ExpandSearchTimeFields(const SearchTimeFields& fields, std::unique_ptr<query::SearchNode>* search,
                            const std::vector<std::string>* present) {
  if (*search == nullptr || fields.empty()) return;
  Expander(fields, present).Walk(search);
}

}  // namespace cairn::engine
