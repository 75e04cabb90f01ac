#include "engine/search/segment_context.h"

namespace cairn::engine {

void SegmentContext::ListScannedFields() {
  if (high_card_built_) return;
  const storage::FooterView& footer = reader_->footer();
  for (uint32_t i = 0; i < footer.field_count(); ++i) {
    uint8_t flags = footer.field_flags(i);
    if (flags & storage::kFieldMetadata) continue;
    if (flags & (storage::kFieldHighCardinality | storage::kFieldTermsScanned))
      high_card_.push_back(static_cast<int>(i));
    if (flags & storage::kFieldNumeric) numeric_.push_back(static_cast<int>(i));
  }
  high_card_built_ = true;
}

const std::vector<int>& SegmentContext::HighCardinalityFields() {
  ListScannedFields();
  return high_card_;
}

const std::vector<int>& SegmentContext::NumericFields() {
  ListScannedFields();
  return numeric_;
}

}  // namespace cairn::engine
