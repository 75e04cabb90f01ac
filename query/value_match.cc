#include "query/value_match.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

namespace cairn::query {

bool GlobMatch(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {
bool ParseAddress(std::string_view text, std::array<uint8_t, 16>* out, bool* v6) {
  char buf[64];
  if (text.empty() || text.size() >= sizeof buf) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  out->fill(0);
  if (inet_pton(AF_INET, buf, out->data()) == 1) {
    *v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, buf, out->data()) == 1) {
    *v6 = true;
    return true;
  }
  return false;
}
}  // namespace

std::optional<Cidr> ParseCidr(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Cidr c;
  if (!ParseAddress(text.substr(0, slash), &c.bytes, &c.v6)) return std::nullopt;
  std::string_view bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 3) return std::nullopt;
  int b = 0;
  for (char ch : bits) {
    if (ch < '0' || ch > '9') return std::nullopt;
    b = b * 10 + (ch - '0');
  }
  if (b > (c.v6 ? 128 : 32)) return std::nullopt;
  c.bits = b;
  return c;
}

bool CidrContains(const Cidr& cidr, std::string_view ip) {
  std::array<uint8_t, 16> addr;
  bool v6 = false;
  if (!ParseAddress(ip, &addr, &v6) || v6 != cidr.v6) return false;
  int full = cidr.bits / 8, rest = cidr.bits % 8;
  if (std::memcmp(addr.data(), cidr.bytes.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (addr[static_cast<size_t>(full)] & mask) == (cidr.bytes[static_cast<size_t>(full)] & mask);
}


}  // namespace cairn::query
