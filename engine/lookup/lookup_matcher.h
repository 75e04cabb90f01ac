// LookupMatcher: finds the rows of a lookup table that match an event's values, by the
// table's definition: exact columns by a hash of the first one, CIDR columns (IPv4) by one
// hash per prefix length present, IPv6 CIDR and WILDCARD columns by a scan of the
// candidates. Rows come back in file order, at most max_matches. Built once per lookup
// command; read-only afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/lookup/lookup_catalog.h"

namespace cairn::engine {

class LookupMatcher {
 public:
  /// `columns`: the table's match columns, in the order Match() gets their values.
  LookupMatcher(const LookupTable& table, const LookupDefinition& def, std::vector<int> columns);

  /// The rows whose match columns all match `values` (one value per match column), in file order.
  std::vector<uint32_t> Match(const std::vector<std::string>& values) const;

 private:
  bool RowMatches(uint32_t row, const std::vector<std::string>& values) const;
  std::string Fold(const std::string& s) const;

  const LookupTable& table_;
  const LookupDefinition& def_;
  std::vector<int> columns_;
  std::vector<LookupMatch> kinds_;
  int indexed_ = -1;  ///< position in columns_ of the column the index is on, or -1 (scan)
  std::unordered_map<std::string, std::vector<uint32_t>> exact_;
  /// CIDR index: prefix length → network address → rows.
  std::vector<std::pair<int, std::unordered_map<uint32_t, std::vector<uint32_t>>>> cidr_;
  std::vector<uint32_t> unindexed_;  ///< rows the index cannot place (IPv6 ranges): always checked
};

}  // namespace cairn::engine
