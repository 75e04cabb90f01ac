// sort: orders results by one or more fields.
//   sort -count      sort 20 +_time, -num(bytes)      sort 0 str(user)      sort by count desc
// Default limit 10,000 (sort 0: all). auto order puts numbers first, numerically, then text
// lexicographically; events missing the field go last either way; a multivalue field sorts
// by its first value. The sort is stable.
#include <algorithm>
#include <strings.h>

#include "engine/commands/commands.h"
#include "engine/pipeline/aggregation.h"

namespace cairn::engine {

namespace {

enum class SortType { kAuto, kNum, kStr };
struct SortKey {
  std::string field;
  bool descending = false;
  SortType type = SortType::kAuto;
};

// <0, 0, >0 for present values a and b.
int CompareValues(const std::string& a, const std::string& b, SortType type) {
  if (type != SortType::kStr) {
    auto na = TextNumber(a), nb = TextNumber(b);
    if (na && nb) return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
    if (type == SortType::kAuto || type == SortType::kNum) {
      if (na && !nb) return -1;  // numbers before text
      if (!na && nb) return 1;
    }
  }
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

class SortCommand final : public Command {
 public:
  SortCommand(uint64_t limit, std::vector<SortKey> keys) : limit_(limit), keys_(std::move(keys)) {}
  std::string ToString() const override {
    std::string s = "sort limit=" + std::to_string(limit_);
    for (const auto& k : keys_) s += std::string(" ") + (k.descending ? "-" : "+") + k.field;
    return s;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext*) override {
    std::stable_sort(records->begin(), records->end(), [&](const Record& a, const Record& b) {
      for (const SortKey& k : keys_) {
        const FieldCell* va = a.Get(k.field);
        const FieldCell* vb = b.Get(k.field);
        bool ha = va && !va->empty(), hb = vb && !vb->empty();
        if (!ha || !hb) {
          if (ha != hb) return ha;  // missing values last
          continue;
        }
        int c = CompareValues((*va)[0], (*vb)[0], k.type);
        if (c != 0) return k.descending ? c > 0 : c < 0;
      }
      return false;
    });
    if (limit_ > 0 && records->size() > limit_) records->resize(limit_);
    return storage::Status::OK();
  }

 private:
  uint64_t limit_;
  std::vector<SortKey> keys_;
};

}  // namespace

static std::unique_ptr<Command> MakeSortCommand(const query::CommandNode& node, CommandArgs* args,
                                         std::optional<query::Diagnostic>* error) {
  uint64_t limit = args->Count("limit");
  if (const ArgToken* t = args->Peek(); t && t->kind == ArgToken::Kind::kWord && ParseCount(t->text, &limit)) {
    if (args->Given("limit")) {
      *error = ArgError("give the limit once: sort N or sort limit=N", t->span);
      return nullptr;
    }
    args->Next();
  }
  args->TakeKeyword("by");
  std::vector<SortKey> keys;
  bool pending_sign = false, pending_desc = false;
  while (!args->done()) {
    const ArgToken* t = args->Next();
    if (t->kind == ArgToken::Kind::kComma) continue;
    if (t->kind == ArgToken::Kind::kWord && (t->text == "-" || t->text == "+")) {
      pending_sign = true;
      pending_desc = t->text == "-";
      continue;
    }
    if (t->kind == ArgToken::Kind::kWord && (strcasecmp(t->text.c_str(), "desc") == 0 || strcasecmp(t->text.c_str(), "d") == 0) &&
        !keys.empty() && args->done()) {
      for (auto& k : keys) k.descending = !k.descending;
      break;
    }
    SortKey key;
    std::string text = t->text;
    if (!text.empty() && (text[0] == '-' || text[0] == '+') && t->kind == ArgToken::Kind::kWord) {
      key.descending = text[0] == '-';
      text.erase(0, 1);
    } else if (pending_sign) {
      key.descending = pending_desc;
    }
    pending_sign = false;
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((lower == "num" || lower == "str" || lower == "auto" || lower == "ip") && args->Peek() &&
        args->Peek()->kind == ArgToken::Kind::kOpen) {
      args->Next();
      const ArgToken* f = args->Next();
      const ArgToken* close = args->Next();
      if (f == nullptr || close == nullptr || close->kind != ArgToken::Kind::kClose) {
        *error = ArgError("expected " + lower + "(field)", t->span);
        return nullptr;
      }
      key.type = lower == "num" ? SortType::kNum : lower == "str" ? SortType::kStr : SortType::kAuto;
      text = f->text;
    }
    if (text.empty()) {
      *error = ArgError("expected a field to sort by", t->span);
      return nullptr;
    }
    key.field = text;
    keys.push_back(std::move(key));
  }
  if (keys.empty()) {
    *error = ArgError("sort needs a field, e.g. sort -count", node.name_span);
    return nullptr;
  }
  return std::make_unique<SortCommand>(limit, std::move(keys));
}

namespace {
const bool kRegistered = RegisterCommand({"sort", "sort [N | limit=N] [+|-]FIELD... [desc]", ArgumentStyle::kOptions, {{"limit", OptionType::kCount, "10000", "results to keep, 0 for all"}}, MakeSortCommand, {{"...", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
