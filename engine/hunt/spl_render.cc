#include "engine/hunt/spl_render.h"

#include <cctype>
#include <vector>

namespace cairn::engine {

using query::SearchNode;
using Kind = query::SearchNode::Kind;

namespace {

bool IsCompound(const SearchNode& n) {
  return n.kind == Kind::kAnd || n.kind == Kind::kOr;
}

// True when SPL's search can say all of `n`.
bool InSearch(const SearchNode& n) {
  if (n.kind == Kind::kRegex || n.kind == Kind::kFieldRef) return false;
  for (const auto& c : n.children)
    if (!InSearch(*c)) return false;
  return true;
}

std::string Quote(const std::string& v) {
  bool plain = !v.empty();
  for (unsigned char c : v)
    plain =
        plain && (std::isalnum(c) || c == '_' || c == '.' || c == ':' || c == '*' || c == '@' || c == '-');
  if (plain && v != "OR" && v != "AND" && v != "NOT") return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

const char* OpText(query::CompareOp op) {
  switch (op) {
    case query::CompareOp::kEq:
      return "=";
    case query::CompareOp::kNe:
      return "!=";
    case query::CompareOp::kLt:
      return "<";
    case query::CompareOp::kLe:
      return "<=";
    case query::CompareOp::kGt:
      return ">";
    case query::CompareOp::kGe:
      return ">=";
  }
  return "=";
}

std::string Search(const SearchNode& n);

std::string Child(const SearchNode& parent, const SearchNode& child) {
  std::string text = Search(child);
  return IsCompound(child) && child.kind != parent.kind ? "(" + text + ")" : text;
}

std::string Search(const SearchNode& n) {
  switch (n.kind) {
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out;
      for (const auto& c : n.children) {
        if (!out.empty()) out += n.kind == Kind::kAnd ? " " : " OR ";
        out += Child(n, *c);
      }
      return out;
    }
    case Kind::kNot:
      return "NOT " +
             (IsCompound(*n.children[0]) ? "(" + Search(*n.children[0]) + ")" : Search(*n.children[0]));
    case Kind::kTerm:
      return Quote(n.value);
    case Kind::kCompare:
      return n.field + OpText(n.op) + (n.value == "*" ? std::string("*") : Quote(n.value));
    case Kind::kIn: {
      std::string out = n.field + " IN (";
      for (size_t i = 0; i < n.values.size(); ++i) out += (i ? ", " : "") + Quote(n.values[i]);
      return out + ")";
    }
    case Kind::kRegex:
    case Kind::kFieldRef:
    case Kind::kEval:
      return "";
  }
  return "";
}

std::string EvalString(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string Eval(const SearchNode& n) {
  if (InSearch(n)) return "searchmatch(" + EvalString(Search(n)) + ")";
  switch (n.kind) {
    case Kind::kAnd:
    case Kind::kOr: {
      std::string out;
      for (const auto& c : n.children) {
        if (!out.empty()) out += n.kind == Kind::kAnd ? " AND " : " OR ";
        out += IsCompound(*c) && !InSearch(*c) ? "(" + Eval(*c) + ")" : Eval(*c);
      }
      return out;
    }
    case Kind::kNot:
      return "NOT (" + Eval(*n.children[0]) + ")";
    case Kind::kRegex:
      return "match('" + n.field + "', " + EvalString(n.value) + ")";
    case Kind::kFieldRef:
      return "lower('" + n.field + "')==lower('" + n.value + "')";
    default:
      return "";
  }
}

// The terms of the top-level AND, nested ANDs flattened.
void Conjuncts(const SearchNode& n, std::vector<const SearchNode*>* out) {
  if (n.kind != Kind::kAnd) {
    out->push_back(&n);
    return;
  }
  for (const auto& c : n.children) Conjuncts(*c, out);
}

}  // namespace

std::string RenderSpl(const SearchNode& search) {
  std::vector<const SearchNode*> conjuncts;
  Conjuncts(search, &conjuncts);
  std::string in_search, in_where;
  for (const SearchNode* c : conjuncts) {
    if (InSearch(*c)) {
      in_search +=
          (in_search.empty() ? "" : " ") + (c->kind == Kind::kOr ? "(" + Search(*c) + ")" : Search(*c));
    } else {
      in_where += (in_where.empty() ? "" : " AND ") + (IsCompound(*c) ? "(" + Eval(*c) + ")" : Eval(*c));
    }
  }
  if (in_search.empty()) in_search = "*";
  return in_where.empty() ? in_search : in_search + " | where " + in_where;
}

}  // namespace cairn::engine
