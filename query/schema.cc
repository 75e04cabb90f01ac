#include "query/schema.h"

#include <algorithm>

namespace cairn::query {

namespace {

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string StripArrayMarkers(const std::string& name) {
  std::string out;
  out.reserve(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '{' && i + 1 < name.size() && name[i + 1] == '}') {
      ++i;
      continue;
    }
    out.push_back(name[i]);
  }
  return out;
}

IndexSchema::IndexSchema(std::vector<std::string> fields) : fields_(std::move(fields)) {
  std::sort(fields_.begin(), fields_.end());
  fields_.erase(std::unique(fields_.begin(), fields_.end()), fields_.end());
  for (const std::string& f : fields_) {
    exact_[f] = true;
    if (f.find("{}") != std::string::npos) by_stripped_name_[StripArrayMarkers(f)].push_back(f);
  }
}

std::vector<std::string> IndexSchema::Resolve(const std::string& name) const {
  std::vector<std::string> out;
  if (exact_.count(name)) out.push_back(name);
  if (name.find("{}") == std::string::npos) {
    if (auto it = by_stripped_name_.find(name); it != by_stripped_name_.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

std::vector<std::string> IndexSchema::Children(const std::string& name) const {
  std::vector<std::string> out;
  std::string stripped = StripArrayMarkers(name);
  for (const std::string& f : fields_) {
    std::string s = StripArrayMarkers(f);
    if (s.size() > stripped.size() && s.compare(0, stripped.size(), stripped) == 0 && s[stripped.size()] == '.')
      out.push_back(f);
  }
  return out;
}

std::vector<std::string> IndexSchema::Suggest(const std::string& name) const {
  std::vector<std::pair<size_t, std::string>> scored;
  std::string lname = Lower(StripArrayMarkers(name));
  for (const std::string& f : fields_) {
    std::string lf = Lower(StripArrayMarkers(f));
    size_t d = lf == lname ? 0 : EditDistance(lname, lf) + 1;
    if (d <= std::max<size_t>(3, name.size() / 4)) scored.emplace_back(d, f);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace cairn::query
