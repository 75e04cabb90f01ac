#include "engine/hunt/sigma_condition.h"

#include <cctype>

#include "query/value_match.h"

namespace cairn::engine {

using query::SearchNode;
using Kind = query::SearchNode::Kind;

namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Recursive descent over the condition's words: or_expr := and_expr ("or" and_expr)*,
// and_expr := not_expr ("and" not_expr)*, not_expr := "not" not_expr | primary,
// primary := "(" or_expr ")" | ("1"|"any"|"all") "of" name-glob | name.
class ConditionParser {
 public:
  ConditionParser(const std::string& text, const std::vector<SigmaSelection>& selections)
      : selections_(selections) {
    for (size_t i = 0; i < text.size();) {
      char c = text[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
      } else if (c == '|') {
        words_.emplace_back(1, c);
        rest_ = text.substr(i + 1);
        size_t b = rest_.find_first_not_of(" \t"), e = rest_.find_last_not_of(" \t\r\n");
        rest_ = b == std::string::npos ? "" : rest_.substr(b, e - b + 1);
        break;
      } else if (c == '(' || c == ')') {
        words_.emplace_back(1, c);
        ++i;
      } else {
        size_t j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j])) && text[j] != '(' &&
               text[j] != ')' && text[j] != '|')
          ++j;
        words_.push_back(text.substr(i, j - i));
        i = j;
      }
    }
  }

  std::unique_ptr<SearchNode> Parse(std::string* error) {
    error_ = error;
    auto tree = Or();
    if (tree != nullptr && pos_ < words_.size()) {
      if (words_[pos_] == "|")
        Fail("the aggregation '| " + rest_ +
             "' (deprecated in Sigma, replaced by correlation rules) is not supported by cairn");
      else
        Fail("unexpected '" + words_[pos_] + "'");
      return nullptr;
    }
    return failed_ ? nullptr : std::move(tree);
  }

 private:
  void Fail(const std::string& message) {
    if (!failed_) *error_ = message;
    failed_ = true;
  }
  bool Accept(const char* word) {
    if (pos_ < words_.size() && Lower(words_[pos_]) == word) {
      ++pos_;
      return true;
    }
    return false;
  }

  static std::unique_ptr<SearchNode> Combine(Kind kind, std::vector<std::unique_ptr<SearchNode>> kids) {
    if (kids.size() == 1 && kind != Kind::kNot) return std::move(kids[0]);
    auto n = std::make_unique<SearchNode>();
    n->kind = kind;
    n->children = std::move(kids);
    return n;
  }

  std::unique_ptr<SearchNode> Or() {
    std::vector<std::unique_ptr<SearchNode>> kids;
    do {
      auto k = And();
      if (k == nullptr) return nullptr;
      kids.push_back(std::move(k));
    } while (Accept("or"));
    return Combine(Kind::kOr, std::move(kids));
  }

  std::unique_ptr<SearchNode> And() {
    std::vector<std::unique_ptr<SearchNode>> kids;
    do {
      auto k = NotExpr();
      if (k == nullptr) return nullptr;
      kids.push_back(std::move(k));
    } while (Accept("and"));
    return Combine(Kind::kAnd, std::move(kids));
  }

  std::unique_ptr<SearchNode> NotExpr() {
    if (Accept("not")) {
      auto child = NotExpr();
      if (child == nullptr) return nullptr;
      std::vector<std::unique_ptr<SearchNode>> kids;
      kids.push_back(std::move(child));
      return Combine(Kind::kNot, std::move(kids));
    }
    return Primary();
  }

  std::unique_ptr<SearchNode> Primary() {
    if (pos_ >= words_.size()) {
      Fail("the condition ends where a selection name was expected");
      return nullptr;
    }
    if (Accept("(")) {
      auto inner = Or();
      if (inner == nullptr) return nullptr;
      if (!Accept(")")) {
        Fail("a '(' without its ')'");
        return nullptr;
      }
      return inner;
    }
    std::string word = words_[pos_];
    std::string lower = Lower(word);
    if ((lower == "1" || lower == "any" || lower == "all") && pos_ + 1 < words_.size() &&
        Lower(words_[pos_ + 1]) == "of") {
      pos_ += 2;
      if (pos_ >= words_.size()) {
        Fail("'" + word + " of' needs a selection name or pattern");
        return nullptr;
      }
      std::string glob = words_[pos_++];
      std::vector<std::unique_ptr<SearchNode>> kids;
      for (const SigmaSelection& s : selections_)
        if (Lower(glob) == "them" || query::GlobMatch(glob, s.name)) kids.push_back(query::CloneSearchNode(*s.tree));
      if (kids.empty()) {
        Fail("no selection matches '" + glob + "'");
        return nullptr;
      }
      return Combine(lower == "all" ? Kind::kAnd : Kind::kOr, std::move(kids));
    }
    if (word == ")" || word == "|" || lower == "and" || lower == "or") {
      Fail("unexpected '" + word + "'");
      return nullptr;
    }
    ++pos_;
    for (const SigmaSelection& s : selections_)
      if (s.name == word) return query::CloneSearchNode(*s.tree);
    Fail("no selection is named '" + word + "'");
    return nullptr;
  }

  const std::vector<SigmaSelection>& selections_;
  std::vector<std::string> words_;
  std::string rest_;  ///< the text after a '|'
  size_t pos_ = 0;
  bool failed_ = false;
  std::string* error_ = nullptr;
};

}  // namespace

std::unique_ptr<SearchNode> CompileSigmaCondition(const std::string& condition,
                                                  const std::vector<SigmaSelection>& selections,
                                                  std::string* error) {
  ConditionParser parser(condition, selections);
  return parser.Parse(error);
}

}  // namespace cairn::engine
