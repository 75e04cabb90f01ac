#include "engine/search/segment_context.h"


namespace cairn::engine {

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
