#include "engine/eval/regex_cache.h"

namespace cairn::engine {

namespace {
constexpr uint32_t kMatchLimit = 1000000;
constexpr uint32_t kDepthLimit = 100000;
// Patterns built from event data could grow the cache without bound; start over past this.
constexpr size_t kMaxCachedPatterns = 1000;
}  // namespace

std::unique_ptr<EvalRegex> EvalRegex::Compile(std::string_view pattern, std::string* error, size_t* error_offset) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    *error = reinterpret_cast<const char*>(buf);
    if (error_offset != nullptr) *error_offset = offset;
    return nullptr;
  }
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // the interpreter runs it if JIT is unavailable
  std::unique_ptr<EvalRegex> r(new EvalRegex());
  r->code_ = re;
  r->match_data_ = pcre2_match_data_create_from_pattern(re, nullptr);
  r->match_context_ = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(r->match_context_, kMatchLimit);
  pcre2_set_depth_limit(r->match_context_, kDepthLimit);
  return r;
}

EvalRegex::~EvalRegex() {
  pcre2_match_context_free(match_context_);
  pcre2_match_data_free(match_data_);
  pcre2_code_free(code_);
}

int EvalRegex::Match(std::string_view subject, size_t start) const {
  return pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0, match_data_,
                     match_context_);
}

bool EvalRegex::Matches(std::string_view subject) const { return Match(subject, 0) >= 0; }

std::string EvalRegex::ReplaceAll(std::string_view subject, std::string_view replacement, uint64_t only_nth) const {
  std::string out;
  size_t copied = 0, start = 0;
  uint64_t seen = 0;
  while (start <= subject.size()) {
    int rc = Match(subject, start);
    if (rc < 0) break;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match_data_);
    size_t begin = ov[0], end = ov[1];
    ++seen;
    if (only_nth != 0 && seen > only_nth) break;
    out.append(subject.substr(copied, begin - copied));
    if (only_nth != 0 && seen != only_nth) out.append(subject.substr(begin, end - begin));
    for (size_t i = 0; i < replacement.size() && (only_nth == 0 || seen == only_nth); ++i) {
      char c = replacement[i];
      if (c == '\\' && i + 1 < replacement.size()) {
        char n = replacement[i + 1];
        if (n >= '0' && n <= '9') {
          int group = n - '0';
          if (group < rc && ov[2 * group] != PCRE2_UNSET) {
            out.append(subject.substr(ov[2 * group], ov[2 * group + 1] - ov[2 * group]));
          }
          ++i;
          continue;
        }
        if (n == '\\') {
          out.push_back('\\');
          ++i;
          continue;
        }
      }
      out.push_back(c);
    }
    copied = end;
    if (end > begin) {
      start = end;
      continue;
    }
    // An empty match: keep the next character (a whole UTF-8 sequence) and move past it.
    if (end >= subject.size()) break;
    size_t next = end + 1;
    while (next < subject.size() && (static_cast<unsigned char>(subject[next]) & 0xC0) == 0x80) ++next;
    out.append(subject.substr(end, next - end));
    copied = start = next;
  }
  out.append(subject.substr(copied));
  return out;
}

std::vector<std::string> EvalRegex::GroupNames() const {
  uint32_t groups = 0, name_count = 0, entry = 0;
  pcre2_pattern_info(code_, PCRE2_INFO_CAPTURECOUNT, &groups);
  pcre2_pattern_info(code_, PCRE2_INFO_NAMECOUNT, &name_count);
  pcre2_pattern_info(code_, PCRE2_INFO_NAMEENTRYSIZE, &entry);
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(code_, PCRE2_INFO_NAMETABLE, &table);
  std::vector<std::string> names(groups);
  for (uint32_t i = 0; i < name_count; ++i) {
    PCRE2_SPTR e = table + static_cast<size_t>(i) * entry;
    uint32_t n = (static_cast<uint32_t>(e[0]) << 8) | e[1];
    if (n >= 1 && n <= groups) names[n - 1] = reinterpret_cast<const char*>(e + 2);
  }
  return names;
}

std::vector<std::pair<std::string, std::vector<std::string>>> EvalRegex::Extract(std::string_view subject,
                                                                                 uint64_t max_matches) const {
  std::vector<std::string> names = GroupNames();
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& n : names)
    if (!n.empty()) out.emplace_back(n, std::vector<std::string>());
  size_t start = 0;
  uint64_t matches = 0;
  while (start <= subject.size() && (max_matches == 0 || matches < max_matches)) {
    if (Match(subject, start) < 0) break;
    ++matches;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match_data_);
    size_t slot = 0;
    for (size_t g = 0; g < names.size(); ++g) {
      if (names[g].empty()) continue;
      PCRE2_SIZE b = ov[2 * (g + 1)], e = ov[2 * (g + 1) + 1];
      if (b != PCRE2_UNSET && e != PCRE2_UNSET) out[slot].second.emplace_back(subject.substr(b, e - b));
      ++slot;
    }
    start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;  // step past an empty match
  }
  return out;
}

std::vector<std::string> EvalRegex::Tokens(std::string_view subject) const {
  std::vector<std::string> out;
  const bool grouped = pcre2_get_ovector_count(match_data_) > 1 && !GroupNames().empty();
  size_t start = 0;
  while (start <= subject.size()) {
    if (Match(subject, start) < 0) break;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match_data_);
    size_t g = grouped ? 1 : 0;
    if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] != PCRE2_UNSET) out.emplace_back(subject.substr(ov[2 * g], ov[2 * g + 1] - ov[2 * g]));
    start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
  }
  return out;
}

const EvalRegex* RegexCache::Get(std::string_view pattern, std::string* error) {
  auto it = regexes_.find(std::string(pattern));
  if (it != regexes_.end()) return it->second.get();
  size_t offset = 0;
  auto compiled = EvalRegex::Compile(pattern, error, &offset);
  if (compiled == nullptr) {
    *error = "invalid regular expression at offset " + std::to_string(offset) + ": " + *error;
    return nullptr;
  }
  if (regexes_.size() >= kMaxCachedPatterns) regexes_.clear();
  return regexes_.emplace(std::string(pattern), std::move(compiled)).first->second.get();
}

}  // namespace cairn::engine
