#include "engine/pipeline/sort_keys.h"

#include <strings.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "engine/pipeline/aggregation.h"

namespace cairn::engine {

namespace {

std::optional<uint32_t> Ipv4(const std::string& s) {
  unsigned a, b, c, d;
  char tail;
  if (std::sscanf(s.c_str(), "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
    return std::nullopt;
  return (a << 24) | (b << 16) | (c << 8) | d;
}

// <0, 0, >0 for present values a and b.
int CompareValues(const std::string& a, const std::string& b, SortType type) {
  if (type == SortType::kIp) {
    auto ia = Ipv4(a), ib = Ipv4(b);
    if (ia && ib) return *ia < *ib ? -1 : (*ia > *ib ? 1 : 0);
    if (ia || ib) return ia ? -1 : 1;
  }
  if (type != SortType::kStr) {
    auto na = TextNumber(a), nb = TextNumber(b);
    if (na && nb) return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
    if (na && !nb) return -1;  // numbers before text
    if (!na && nb) return 1;
  }
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

bool ParseSortKeys(CommandArgs* args, std::vector<SortKey>* keys, std::optional<query::Diagnostic>* error) {
  bool pending_sign = false, pending_desc = false;
  while (!args->done()) {
    const ArgToken* t = args->Next();
    if (t->kind == ArgToken::Kind::kComma) continue;
    if (t->kind == ArgToken::Kind::kWord && (t->text == "-" || t->text == "+")) {
      pending_sign = true;
      pending_desc = t->text == "-";
      continue;
    }
    if (t->kind == ArgToken::Kind::kWord &&
        (strcasecmp(t->text.c_str(), "desc") == 0 || strcasecmp(t->text.c_str(), "d") == 0) && !keys->empty() &&
        args->done()) {
      for (auto& k : *keys) k.descending = !k.descending;
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
        return false;
      }
      key.type = lower == "num" ? SortType::kNum : lower == "str" ? SortType::kStr : lower == "ip" ? SortType::kIp : SortType::kAuto;
      text = f->text;
    }
    if (text.empty()) {
      *error = ArgError("expected a field to sort by", t->span);
      return false;
    }
    key.field = text;
    keys->push_back(std::move(key));
  }
  return true;
}

void SortRecords(std::vector<Record>* records, const std::vector<SortKey>& keys) {
  std::stable_sort(records->begin(), records->end(), [&](const Record& a, const Record& b) {
    for (const SortKey& k : keys) {
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
}

std::string DescribeSortKeys(const std::vector<SortKey>& keys) {
  std::string s;
  for (const auto& k : keys) s += std::string(" ") + (k.descending ? "-" : "+") + k.field;
  return s;
}

}  // namespace cairn::engine
