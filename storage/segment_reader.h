// SegmentReader: read access to one immutable segment file through a memory map. It
// checks the header, trailer and footer on open, and every section's checksum before use,
// reporting a damaged file as Corruption naming the segment. Decoded dictionaries,
// postings, column groups and raw chunks are cached in the reader: one reader belongs to
// one thread at a time.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <roaring/roaring.hh>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/block.h"
#include "storage/dictionary.h"
#include "storage/file_io.h"
#include "storage/numeric_column.h"
#include "storage/segment_format.h"

namespace cairn::storage {

/// One field's postings section, read in place from the map; each 4 KiB chunk is
/// verified the first time a lookup reads from it.
class PostingsView {
 public:
  /// `rows`: the segment's, which every row of the postings must lie below.
  static Result<PostingsView> Parse(CheckedView block, std::string what, uint32_t rows);
  /// Adds the rows of `code` to `out`.
  [[nodiscard]] Status AddTo(uint32_t code, Roaring* out) const { return AddRangeTo(code, code + 1, out); }
  /// Adds the rows of codes [first, last) to `out`.
  [[nodiscard]] Status AddRangeTo(uint32_t first, uint32_t last, Roaring* out) const;
  /// Adds the rows of the given codes (any order) to `out`: one union, however many codes.
  [[nodiscard]] Status AddCodesTo(const std::vector<uint32_t>& codes, Roaring* out) const;
  /// Sets `n` to the number of rows of `code`, counting only those in `within` unless null.
  /// Keeps the decoded bitmap for the next count (for fields of few values: group counts).
  [[nodiscard]] Status Count(uint32_t code, const Roaring* within, uint64_t* n) const;
  uint32_t size() const { return n_; }

 private:
  uint32_t LoadU32(size_t offset) const;
  /// Adds the rows of code_at(0) .. code_at(n - 1) to `out`: single rows sorted and added at
  /// once, bitmaps in one union.
  template <typename CodeAt>
  Status AddEach(size_t n, CodeAt&& code_at, Roaring* out) const;
  /// Where the rows of `code` are: the single row of a value seen once (`*single` set,
  /// `*bitmap` null), or the bytes of its bitmap and its number (`*ref`), checked.
  Status Locate(uint32_t code, bool* single, uint32_t* row, uint32_t* ref, std::string_view* bitmap) const;
  /// Reads bitmap number `ref` (its bytes from Locate), checking its format the first time.
  Status ReadBitmap(uint32_t ref, std::string_view bitmap, Roaring* out) const;

  CheckedView block_;
  std::string what_;
  mutable std::vector<std::unique_ptr<Roaring>> decoded_;  // by bitmap number, filled by Count
  mutable std::vector<bool> well_formed_;                  // by bitmap number: checked once
  size_t refs_ = 0, offsets_ = 0, bitmaps_ = 0;            // byte offsets in the block
  uint32_t n_ = 0, m_ = 0;
  uint32_t rows_ = 0;
  size_t bitmap_bytes_ = 0;
};

class SegmentReader {
 public:
  /// Opens `path`; `name` is how errors refer to the segment.
  static Result<std::unique_ptr<SegmentReader>> Open(const std::string& path, const std::string& name);

  const std::string& name() const { return name_; }
  const FooterView& footer() const { return footer_; }
  uint32_t rows() const { return footer_.rows(); }
  uint64_t file_bytes() const { return file_.data().size(); }
  uint32_t field_count() const { return footer_.field_count(); }
  FieldEntry field(int i) const { return footer_.field(static_cast<uint32_t>(i)); }

  /// Index of the field (0 .. field_count()), or -1.
  int FindField(std::string_view name) const { return footer_.FindField(name); }
  int terms_field() const { return footer_.terms_field(); }
  int shapes_field() const { return footer_.shapes_field(); }
  /// False when the field's term filter proves that no value of it holds every one of
  /// `parts` (folded text between breakers); true otherwise, or when it has no filter.
  Result<bool> MayHoldParts(int field, const std::vector<std::string>& parts);

  Result<const Dictionary*> GetDictionary(int field);
  Result<const PostingsView*> GetPostings(int field);
  Result<const Roaring*> GetPresence(int field);
  Result<const std::vector<int64_t>*> GetTimes();
  /// A decoded column group: for row r of the group (0-based), its codes are
  /// codes[Begin(r) .. End(r)). Valid until TrimCaches().
  struct ColumnGroupView {
    const uint32_t* starts = nullptr;  ///< null when every row holds exactly one code
    const uint32_t* codes = nullptr;
    uint32_t first_row = 0;
    uint32_t rows = 0;
    uint32_t Begin(uint32_t r) const { return starts ? starts[r] : r; }
    uint32_t End(uint32_t r) const { return starts ? starts[r + 1] : r + 1; }
  };
  Result<ColumnGroupView> GetColumnGroup(int field, uint32_t group);

  /// A numeric column (kFieldNumeric) keeps values instead of a dictionary and postings.
  /// GetDictionary, GetPostings and GetColumnGroup still work on one, building them in
  /// memory (slow: a query path that matters reads the values instead).
  bool IsNumeric(int field) const {
    return (footer_.field_flags(static_cast<uint32_t>(field)) & kFieldNumeric) != 0;
  }
  Result<const NumericZonesView*> GetNumericZones(int field);
  /// The values of a numeric column for the rows of one group; a row without the field
  /// holds another row's value (see GetPresence). Valid until TrimCaches().
  Result<const int64_t*> GetNumericGroup(int field, uint32_t group);
  /// Adds to `out` the rows whose value of a numeric column lies in [lo, hi].
  Status AddNumericRows(int field, int64_t lo, int64_t hi, Roaring* out);
  /// Codes of `field` in `row`, in document order (empty if the row lacks the field).
  Status GetRowCodes(int field, uint32_t row, std::vector<uint32_t>* codes);
  /// Appends the codes of `field` in `row`, in document order, to `codes`. While few rows of
  /// a column group are asked for (a hunt's alerts, a head), they are read from the group's
  /// block alone; once many are, the group is decoded whole (as GetColumnGroup does).
  Status AppendRowCodes(int field, uint32_t row, std::vector<uint32_t>* codes);
  /// Rows of one column group read one at a time before AppendRowCodes decodes the group.
  static constexpr uint32_t kSingleRowReads = 32;
  /// The event's `_raw` text.
  Status GetRaw(uint32_t row, std::string* out);
  /// Reads every section and checks its checksum and structure; the first problem found.
  Status VerifyAll();
  /// Drops decoded column groups and raw chunks (bounded memory for long scans).
  void TrimCaches();

 private:
  struct ColumnGroup {
    std::vector<uint32_t> starts;  // per row, index of its first code; rows+1 entries, or
                                   // empty when every row holds exactly one code
    std::vector<uint32_t> codes;
    uint32_t rows = 0;
    /// Where the codes of the group's row `r` are: [first, second).
    std::pair<uint32_t, uint32_t> RowCodes(uint32_t r) const {
      return starts.empty() ? std::make_pair(r, r + 1) : std::make_pair(starts[r], starts[r + 1]);
    }
  };
  // A column group's block as AppendRowCodes reads single rows from it: the bytes after the
  // layout byte, in the map or decompressed, and where its packed codes start.
  struct RowBlock {
    uint32_t group = UINT32_MAX;
    uint32_t reads = 0;
    uint8_t layout = 0;
    std::vector<uint32_t> present_rows;  // kGroupPresentRows: the group's rows holding the field
    size_t packed = 0;                   // offset of the packed codes in `bytes`
    std::string owned;
    std::string_view bytes;
    const ColumnGroup* decoded = nullptr;  // once the group is decoded whole
  };
  Status LoadRowBlock(int field, uint32_t group, RowBlock* block);
  struct ShapePlan {
    std::vector<int> fields;  // the distinct fields of the shape, in first-use order
    // Per value of the shape: its field's slot in `fields`, and which of that field's
    // values in the row it is.
    std::vector<std::pair<uint32_t, uint32_t>> values;
  };
  // A row's codes of one field, while its raw text is rebuilt.
  struct RowSpan {
    size_t first = 0;  // where its codes are in raw_codes_
    uint32_t size = 0;
    const Dictionary* dictionary = nullptr;
    ValueType numeric_type = ValueType::kNumber;  // a numeric column: the value in `number`
    int64_t number = 0;
  };
  SegmentReader() = default;
  Status Section(const Extent& e, const std::string& what, std::string* raw);
  /// An uncompressed section, checked, read in place from the map.
  Status RawSection(const Extent& e, const std::string& what, std::string_view* raw);
  /// A section's bytes: in place when stored uncompressed, else decompressed into `owned`.
  Status SectionBytes(const Extent& e, const std::string& what, std::string* owned, std::string_view* bytes);
  std::string What(int field, const char* section) const;
  Result<const ColumnGroup*> GetGroup(int field, uint32_t group);
  Result<const ShapePlan*> GetShapePlan(uint32_t shape_code);
  // A numeric column's distinct values, ascending, and the code each has in the dictionary
  // built for it (codes follow text order).
  struct NumericCodes {
    std::vector<int64_t> values;
    std::vector<uint32_t> codes;
    uint32_t CodeOf(int64_t v) const {
      return codes[static_cast<size_t>(std::lower_bound(values.begin(), values.end(), v) - values.begin())];
    }
  };
  Result<const NumericCodes*> BuildNumericDictionary(int field);
  Result<const PostingsView*> BuildNumericPostings(int field);
  Result<const ColumnGroup*> BuildNumericGroup(int field, uint32_t group);
  Result<std::vector<int64_t>> DecodeTimes(std::string_view raw, const std::string& what) const;

  std::string name_;
  uint32_t version_ = 0;
  MappedFile file_;
  FooterView footer_;
  std::unordered_map<int, std::unique_ptr<Dictionary>> dictionaries_;
  std::unordered_map<int, std::unique_ptr<CheckedView>> filters_;
  std::unordered_map<int, std::unique_ptr<PostingsView>> postings_;
  std::unordered_map<int, std::unique_ptr<Roaring>> presence_;
  std::unique_ptr<std::vector<int64_t>> times_;
  std::map<std::pair<int, uint32_t>, std::unique_ptr<ColumnGroup>> groups_;
  std::unordered_map<uint32_t, std::unique_ptr<ShapePlan>> shape_plans_;
  bool verbatim_loaded_ = false;
  std::vector<uint32_t> verbatim_rows_, verbatim_chunk_, verbatim_offset_, verbatim_len_;
  std::unordered_map<uint32_t, std::string> chunks_;
  std::unordered_map<int, std::unique_ptr<NumericZonesView>> numeric_zones_;
  std::map<std::pair<int, uint32_t>, std::vector<int64_t>> numeric_groups_;
  std::unordered_map<int, NumericCodes> numeric_codes_;
  std::unordered_map<int, std::string> numeric_postings_;  // built postings blocks
  std::unordered_map<int, RowBlock> row_blocks_;           // by field
  std::vector<RowSpan> raw_spans_;                         // GetRaw's buffers, kept between rows
  std::vector<uint32_t> raw_codes_;
  std::vector<TypedText> raw_values_;
  std::string raw_numbers_;  // texts of numeric values, 20 bytes per slot
};

}  // namespace cairn::storage
