#include "engine/lookup/lookup_matcher.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "query/value_match.h"

namespace cairn::engine {

namespace {

std::optional<query::Cidr> CellCidr(const std::string& cell) {
  if (cell.find('/') != std::string::npos) return query::ParseCidr(cell);
  return query::ParseCidr(cell + (cell.find(':') != std::string::npos ? "/128" : "/32"));
}

std::optional<uint32_t> Ipv4(const std::string& text) {
  uint8_t b[4];
  if (text.size() > 15 || inet_pton(AF_INET, text.c_str(), b) != 1) return std::nullopt;
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

uint32_t Mask(int bits) { return bits == 0 ? 0 : ~uint32_t{0} << (32 - bits); }

// '*' matches any run of characters; compared as given (folding is the caller's).
bool Wildcard(const std::string& pattern, const std::string& text) {
  size_t p = 0, t = 0, star = std::string::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p, ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

std::string LookupMatcher::Fold(const std::string& s) const {
  if (def_.case_sensitive) return s;
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

LookupMatcher::LookupMatcher(const LookupTable& table, const LookupDefinition& def, std::vector<int> columns)
    : table_(table), def_(def), columns_(std::move(columns)) {
  for (int c : columns_) {
    auto it = def_.match_type.find(table_.columns[c]);
    kinds_.push_back(it == def_.match_type.end() ? LookupMatch::kExact : it->second);
  }
  for (size_t i = 0; i < kinds_.size() && indexed_ < 0; ++i)
    if (kinds_[i] == LookupMatch::kExact) indexed_ = static_cast<int>(i);
  for (size_t i = 0; i < kinds_.size() && indexed_ < 0; ++i)
    if (kinds_[i] == LookupMatch::kCidr) indexed_ = static_cast<int>(i);
  const uint32_t rows = static_cast<uint32_t>(table_.rows.size());
  if (indexed_ < 0) {
    for (uint32_t r = 0; r < rows; ++r) unindexed_.push_back(r);
    return;
  }
  const int col = columns_[indexed_];
  if (kinds_[indexed_] == LookupMatch::kExact) {
    for (uint32_t r = 0; r < rows; ++r) exact_[Fold(table_.rows[r][col])].push_back(r);
    return;
  }
  std::map<int, std::unordered_map<uint32_t, std::vector<uint32_t>>> by_bits;
  for (uint32_t r = 0; r < rows; ++r) {
    auto cidr = CellCidr(table_.rows[r][col]);
    if (!cidr) continue;  // not a range: matches nothing
    if (cidr->v6) {
      unindexed_.push_back(r);
      continue;
    }
    uint32_t net = (uint32_t{cidr->bytes[0]} << 24) | (uint32_t{cidr->bytes[1]} << 16) | (uint32_t{cidr->bytes[2]} << 8) |
                   cidr->bytes[3];
    by_bits[cidr->bits][net & Mask(cidr->bits)].push_back(r);
  }
  for (auto& [bits, map] : by_bits) cidr_.emplace_back(bits, std::move(map));
}

bool LookupMatcher::RowMatches(uint32_t row, const std::vector<std::string>& values) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    const std::string& cell = table_.rows[row][columns_[i]];
    switch (kinds_[i]) {
      case LookupMatch::kExact:
        if (Fold(cell) != Fold(values[i])) return false;
        break;
      case LookupMatch::kWildcard:
        if (!Wildcard(Fold(cell), Fold(values[i]))) return false;
        break;
      case LookupMatch::kCidr: {
        auto cidr = CellCidr(cell);
        if (!cidr || !query::CidrContains(*cidr, values[i])) return false;
        break;
      }
    }
  }
  return true;
}

std::vector<uint32_t> LookupMatcher::Match(const std::vector<std::string>& values) const {
  std::vector<uint32_t> candidates = unindexed_;
  if (indexed_ >= 0 && kinds_[indexed_] == LookupMatch::kExact) {
    auto it = exact_.find(Fold(values[indexed_]));
    if (it != exact_.end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
  } else if (indexed_ >= 0) {
    if (auto ip = Ipv4(values[indexed_]))
      for (const auto& [bits, map] : cidr_) {
        auto it = map.find(*ip & Mask(bits));
        if (it != map.end()) candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      }
  }
  std::sort(candidates.begin(), candidates.end());
  std::vector<uint32_t> out;
  for (uint32_t r : candidates) {
    if (!RowMatches(r, values)) continue;
    out.push_back(r);
    if (out.size() >= def_.max_matches) break;
  }
  return out;
}

}  // namespace cairn::engine
