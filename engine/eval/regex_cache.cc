#include "engine/eval/regex_cache.h"

namespace cairn::engine {

namespace {
constexpr uint32_t kMatchLimit = 1000000;
constexpr uint32_t kDepthLimit = 100000;
// Patterns built from event data could grow the cache without bound; start over past this.
constexpr size_t kMaxCachedPatterns = 1000;
}  // namespace

std::unique_ptr<EvalRegex> EvalRegex::Compile(std::string_view pattern, std::string* error) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, nullptr);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    *error = "invalid regular expression at offset " + std::to_string(offset) + ": " +
             reinterpret_cast<const char*>(buf);
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

std::string EvalRegex::ReplaceAll(std::string_view subject, std::string_view replacement) const {
  std::string out;
  size_t copied = 0, start = 0;
  while (start <= subject.size()) {
    int rc = Match(subject, start);
    if (rc < 0) break;
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(match_data_);
    size_t begin = ov[0], end = ov[1];
    out.append(subject.substr(copied, begin - copied));
    for (size_t i = 0; i < replacement.size(); ++i) {
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

const EvalRegex* RegexCache::Get(std::string_view pattern, std::string* error) {
  auto it = regexes_.find(std::string(pattern));
  if (it != regexes_.end()) return it->second.get();
  auto compiled = EvalRegex::Compile(pattern, error);
  if (compiled == nullptr) return nullptr;
  if (regexes_.size() >= kMaxCachedPatterns) regexes_.clear();
  return regexes_.emplace(std::string(pattern), std::move(compiled)).first->second.get();
}

}  // namespace cairn::engine
