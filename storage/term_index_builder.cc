#include "storage/term_index_builder.h"

#include <algorithm>

#include "storage/dictionary_writer.h"
#include "storage/postings_writer.h"
#include "storage/text.h"

namespace cairn::storage {

TermIndexBuilder::Term& TermIndexBuilder::Get(std::string_view term) {
  uint32_t id = names_.Intern(0, term);
  if (id == terms_.size()) terms_.emplace_back();
  return terms_[id];
}

void TermIndexBuilder::AddValueTerms(std::string_view text) {
  auto value = static_cast<uint32_t>(values_.size() - 1);
  ForEachTerm(text, [&](std::string_view term) {
    Term& t = Get(term);
    if (t.values.empty() || t.values.back() != value) t.values.push_back(value);
  });
}

void TermIndexBuilder::AddValue(std::string_view text, uint32_t row) {
  values_.push_back({row, -1});
  AddValueTerms(text);
}

void TermIndexBuilder::AddValue(std::string_view text, Roaring rows) {
  values_.push_back({0, static_cast<int32_t>(bitmaps_.size())});
  bitmaps_.push_back(std::move(rows));
  AddValueTerms(text);
}

void TermIndexBuilder::AddRows(std::string_view term, const Roaring& rows) {
  Get(term).rows |= rows;
}

void TermIndexBuilder::AddRow(std::string_view term, uint32_t row) {
  Term& t = Get(term);
  if (t.first_row == UINT32_MAX) {
    t.first_row = row;
  } else if (t.first_row != row && (t.more_rows.empty() || t.more_rows.back() != row)) {
    t.more_rows.push_back(row);
  }
}

void TermIndexBuilder::Encode(std::string* dictionary, std::string* postings) {
  std::vector<std::pair<std::string_view, Term*>> sorted;
  sorted.reserve(terms_.size());
  for (uint32_t id = 0; id < terms_.size(); ++id) sorted.emplace_back(names_.Get(id).substr(1), &terms_[id]);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  PostingsWriter writer;
  row_count_ = 0;
  for (auto& [text, term] : sorted) {
    bool has_rows = term->first_row != UINT32_MAX || !term->rows.isEmpty();
    if (term->values.size() == 1 && !has_rows) {
      // One value's rows as they are: the common case, no union needed.
      const ValueRows& v = values_[term->values[0]];
      if (v.bitmap < 0) {
        writer.AddRow(v.row);
        ++row_count_;
      } else {
        writer.AddBitmap(bitmaps_[v.bitmap]);
        row_count_ += bitmaps_[v.bitmap].cardinality();
      }
      continue;
    }
    if (term->values.empty() && term->rows.isEmpty() && term->more_rows.empty()) {
      writer.AddRow(term->first_row);  // a term of one raw text
      ++row_count_;
      continue;
    }
    Roaring& rows = term->rows;
    if (term->first_row != UINT32_MAX) rows.add(term->first_row);
    if (!term->more_rows.empty()) rows.addMany(term->more_rows.size(), term->more_rows.data());
    for (uint32_t i : term->values) {
      const ValueRows& v = values_[i];
      if (v.bitmap < 0)
        rows.add(v.row);
      else
        rows |= bitmaps_[v.bitmap];
    }
    rows.runOptimize();
    writer.AddRows(rows);
    row_count_ += rows.cardinality();
  }
  writer.AppendTo(postings);

  std::vector<std::string_view> texts;
  texts.reserve(sorted.size());
  for (const auto& [text, term] : sorted) texts.push_back(text);
  EncodeStringDictionary(texts, dictionary);
}

}  // namespace cairn::storage
