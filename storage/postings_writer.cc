#include "storage/postings_writer.h"

#include <cstring>

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
  EndBitmap();
}

void PostingsWriter::AddSortedRows(const uint32_t* rows, size_t n) {
  if (n == 1) {
    AddRow(rows[0]);
    return;
  }
  // Roaring's portable format without run containers (roaring's format spec): cookie
  // 12346, the container count, (key, cardinality - 1) per container, each container's
  // byte offset, then each array container's low 16 bits.
  constexpr size_t kDirectRows = 256;  // array containers only: at most 4,096 rows each
  constexpr uint32_t kNoRunCookie = 12346;
  if (n > kDirectRows) {
    Roaring bm;
    bm.addMany(n, rows);
    bm.runOptimize();
    AddBitmap(bm);
    return;
  }
  uint32_t containers = 1;
  for (size_t i = 1; i < n; ++i) containers += (rows[i] >> 16) != (rows[i - 1] >> 16);
  size_t at = bitmaps_.size();
  size_t header = 8 + containers * 8;
  bitmaps_.resize(at + header + n * 2);
  char* out = bitmaps_.data() + at;
  auto put16 = [](char* p, uint16_t v) { std::memcpy(p, &v, 2); };
  auto put32 = [](char* p, uint32_t v) { std::memcpy(p, &v, 4); };
  put32(out, kNoRunCookie);
  put32(out + 4, containers);
  char* keys = out + 8;
  char* offsets = keys + containers * 4;
  char* data = out + header;
  size_t i = 0;
  for (uint32_t c = 0; c < containers; ++c) {
    size_t begin = i;
    uint32_t key = rows[i] >> 16;
    while (i < n && (rows[i] >> 16) == key) ++i;
    put16(keys + c * 4, static_cast<uint16_t>(key));
    put16(keys + c * 4 + 2, static_cast<uint16_t>(i - begin - 1));
    put32(offsets + c * 4, static_cast<uint32_t>(data - out));
    for (size_t k = begin; k < i; ++k, data += 2) put16(data, static_cast<uint16_t>(rows[k] & 0xffff));
  }
  EndBitmap();
}

void PostingsWriter::EndBitmap() {
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
