#include "query/ast.h"

namespace cairn::query {

std::unique_ptr<SearchNode> CloneSearchNode(const SearchNode& node) {
  auto copy = std::make_unique<SearchNode>();
  copy->kind = node.kind;
  copy->span = node.span;
  copy->field = node.field;
  copy->op = node.op;
  copy->value = node.value;
  copy->quoted = node.quoted;
  copy->case_sensitive = node.case_sensitive;
  copy->whole_term = node.whole_term;
  copy->values = node.values;
  copy->literal = node.literal;
  copy->object_text = node.object_text;
  copy->field_span = node.field_span;
  copy->value_span = node.value_span;
  copy->eval = node.eval;
  for (const auto& c : node.children) copy->children.push_back(CloneSearchNode(*c));
  return copy;
}

}  // namespace cairn::query
