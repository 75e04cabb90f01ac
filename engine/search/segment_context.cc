#include "engine/search/segment_context.h"


namespace cairn::engine {

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

const std::vector<int>& SegmentContext::ResolveField(const std::string& name) {
  if (auto it = resolved_.find(name); it != resolved_.end()) return it->second;
  std::vector<int> out;
  int exact = reader_->FindField(name);
  if (exact >= 0) out.push_back(exact);
  if (name.find("{}") == std::string::npos) {
    if (!stripped_built_) {
      const storage::FooterView& footer = reader_->footer();
      for (uint32_t i = 0; i < footer.field_count(); ++i) {
        if (footer.field_flags(i) & (storage::kFieldShapes | storage::kFieldTerms)) continue;
        std::string_view field_name = footer.field_name(i);
        if (field_name.find("{}") == std::string::npos) continue;
        by_stripped_name_[StripArrayMarkers(std::string(field_name))].push_back(static_cast<int>(i));
      }
      stripped_built_ = true;
    }
    if (auto it = by_stripped_name_.find(name); it != by_stripped_name_.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return resolved_.emplace(name, std::move(out)).first->second;
}

const std::vector<int>& SegmentContext::HighCardinalityFields() {
  if (!high_card_built_) {
    const storage::FooterView& footer = reader_->footer();
    for (uint32_t i = 0; i < footer.field_count(); ++i) {
      uint8_t flags = footer.field_flags(i);
      if ((flags & storage::kFieldHighCardinality) && !(flags & storage::kFieldMetadata))
        high_card_.push_back(static_cast<int>(i));
    }
    high_card_built_ = true;
  }
  return high_card_;
}

}  // namespace cairn::engine
