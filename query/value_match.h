// Matching one stored value against a search value: `*` wildcards over case-folded text,
// IPv4/IPv6 CIDR membership, and Splunk's comparison rule (numeric when both sides are
// numbers, else lexical). Stateless.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/text.h"

namespace cairn::query {

/// True if `text` matches `pattern`, where '*' matches any run of bytes. Both folded.
bool GlobMatch(std::string_view pattern, std::string_view text);

struct Cidr {
  std::array<uint8_t, 16> bytes{};
  int bits = 0;
  bool v6 = false;
};
/// Parses "10.0.0.0/8" or "2001:db8::/32"; nullopt if `text` is not a CIDR block.
std::optional<Cidr> ParseCidr(std::string_view text);
/// True if `ip` (text) is an address inside `cidr`.
bool CidrContains(const Cidr& cidr, std::string_view ip);

using storage::ParseNumber;

}  // namespace cairn::query
