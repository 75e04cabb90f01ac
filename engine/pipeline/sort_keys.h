// Sort keys as sort and dedup's sortby write them: `-count`, `+_time`, `num(bytes)`,
// `str(user)`, `ip(src)`, `auto(x)`, with a trailing `desc` reversing them all, and the
// stable sort of records by them. auto order: numbers first, numerically, then text
// lexicographically; num: numbers numerically, text after them; str: lexicographic; ip:
// IPv4 addresses by their numeric value, then the rest as auto. A record missing the field
// goes last either way; a multivalue field sorts by its first value. Stateless.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/pipeline/command_args.h"
#include "engine/pipeline/record.h"

namespace cairn::engine {

enum class SortType { kAuto, kNum, kStr, kIp };

struct SortKey {
  std::string field;
  bool descending = false;
  SortType type = SortType::kAuto;
};

/// Reads sort keys up to the end of `args`; false with `error` on a mistake.
bool ParseSortKeys(CommandArgs* args, std::vector<SortKey>* keys, std::optional<query::Diagnostic>* error);
/// Sorts `records` by `keys`, stably.
void SortRecords(std::vector<Record>* records, const std::vector<SortKey>& keys);
/// `+f` / `-f` for explain.
std::string DescribeSortKeys(const std::vector<SortKey>& keys);

}  // namespace cairn::engine
