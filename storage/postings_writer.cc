#include "storage/postings_writer.h"

#include "storage/coding.h"
#include "storage/segment_format.h"

namespace cairn::storage {

PostingsWriter::PostingsWriter() {
  ByteWriter(&offsets_).PutU32(0);
}

void PostingsWriter::AddRow(uint32_t row) {
  ByteWriter(&refs_).PutU32(kInlineRowFlag | row);
  ++codes_;
}

void PostingsWriter::AddBitmap(const Roaring& rows) {
  size_t at = bitmaps_.size();
  bitmaps_.resize(at + rows.getSizeInBytes(true));
  rows.write(bitmaps_.data() + at, true);
  ByteWriter(&refs_).PutU32(bitmap_count_++);
  ByteWriter(&offsets_).PutU32(static_cast<uint32_t>(bitmaps_.size()));
  ++codes_;
}

void PostingsWriter::AddRows(const Roaring& rows) {
  if (rows.cardinality() == 1) {
    AddRow(rows.minimum());
  } else {
    AddBitmap(rows);
  }
}

void PostingsWriter::AppendTo(std::string* out) {
  ByteWriter w(out);
  w.PutU32(codes_);
  w.PutRaw(refs_.data(), refs_.size());
  w.PutU32(bitmap_count_);
  w.PutRaw(offsets_.data(), offsets_.size());
  w.PutRaw(bitmaps_.data(), bitmaps_.size());
  refs_.clear();
  offsets_.clear();
  bitmaps_.clear();
  codes_ = bitmap_count_ = 0;
  ByteWriter(&offsets_).PutU32(0);
}

}  // namespace cairn::storage
