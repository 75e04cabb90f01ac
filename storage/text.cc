#include "storage/text.h"

namespace cairn::storage {

namespace {
struct BreakerTable {
  bool major[256] = {};
  bool minor[256] = {};
  BreakerTable() {
    for (unsigned char c : std::string_view(" \t\n\r\v\f[](){}<>|;,!?\"'&*+^`~"))
      major[c] = true;
    for (unsigned char c : std::string_view("/:=@.-$#%\\_")) minor[c] = true;
  }
};
const BreakerTable kBreakers;
}  // namespace

std::string Fold(std::string_view s) {
  std::string out;
  FoldInto(s, &out);
  return out;
}

void FoldInto(std::string_view s, std::string* out) {
  size_t base = out->size();
  out->resize(base + s.size());
  char* dst = out->data() + base;
  for (size_t i = 0; i < s.size(); ++i) dst[i] = FoldChar(s[i]);
}

bool IsMajorBreaker(char c) { return kBreakers.major[static_cast<unsigned char>(c)]; }
bool IsMinorBreaker(char c) { return kBreakers.minor[static_cast<unsigned char>(c)]; }

bool ContainsAtBreakers(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  size_t pos = 0;
  while ((pos = hay.find(needle, pos)) != std::string_view::npos) {
    size_t end = pos + needle.size();
    bool left = pos == 0 || IsBreaker(hay[pos - 1]) || IsBreaker(needle.front());
    bool right = end == hay.size() || IsBreaker(hay[end]) || IsBreaker(needle.back());
    if (left && right) return true;
    ++pos;
  }
  return false;
}

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

}  // namespace cairn::storage
