#include "engine/pipeline/regex.h"

namespace cairn::engine {

namespace {
constexpr uint32_t kMatchLimit = 1000000;

struct MatchData {
  pcre2_match_data* data;
  pcre2_match_context* context;
  explicit MatchData(const pcre2_code* code)
      : data(pcre2_match_data_create_from_pattern(code, nullptr)), context(pcre2_match_context_create(nullptr)) {
    pcre2_set_match_limit(context, kMatchLimit);
  }
  ~MatchData() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
  }
};
}  // namespace

std::optional<Regex> Regex::Compile(const std::string& pattern, std::string* error, size_t* error_offset) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF, &code,
                                 &offset, nullptr);
  if (re == nullptr) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(code, buf, sizeof buf);
    *error = reinterpret_cast<const char*>(buf);
    *error_offset = offset;
    return std::nullopt;
  }
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // falls back to the interpreter if JIT is unavailable
  Regex r;
  r.code_.reset(re, CodeDeleter());
  uint32_t groups = 0, name_count = 0, entry = 0;
  pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
  pcre2_pattern_info(re, PCRE2_INFO_NAMECOUNT, &name_count);
  pcre2_pattern_info(re, PCRE2_INFO_NAMEENTRYSIZE, &entry);
  PCRE2_SPTR table = nullptr;
  pcre2_pattern_info(re, PCRE2_INFO_NAMETABLE, &table);
  r.names_.assign(groups, "");
  for (uint32_t i = 0; i < name_count; ++i) {
    PCRE2_SPTR e = table + static_cast<size_t>(i) * entry;
    uint32_t n = (static_cast<uint32_t>(e[0]) << 8) | e[1];
    if (n >= 1 && n <= groups) r.names_[n - 1] = reinterpret_cast<const char*>(e + 2);
  }
  return r;
}

bool Regex::Search(std::string_view subject) const {
  MatchData md(code_.get());
  int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md.data,
                       md.context);
  return rc >= 0;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Regex::Extract(std::string_view subject,
                                                                             uint64_t max_matches) const {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& n : names_)
    if (!n.empty()) out.emplace_back(n, std::vector<std::string>());
  MatchData md(code_.get());
  size_t start = 0;
  uint64_t matches = 0;
  while (start <= subject.size() && (max_matches == 0 || matches < max_matches)) {
    int rc = pcre2_match(code_.get(), reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0,
                         md.data, md.context);
    if (rc < 0) break;
    ++matches;
    PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md.data);
    size_t slot = 0;
    for (size_t g = 0; g < names_.size(); ++g) {
      if (names_[g].empty()) continue;
      PCRE2_SIZE b = ov[2 * (g + 1)], e = ov[2 * (g + 1) + 1];
      if (b != PCRE2_UNSET && e != PCRE2_UNSET) out[slot].second.emplace_back(subject.substr(b, e - b));
      ++slot;
    }
    size_t next = ov[1];
    start = next > ov[0] ? next : next + 1;  // step past an empty match
  }
  return out;
}

}  // namespace cairn::engine
