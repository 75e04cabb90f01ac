// Encoding of dictionary sections (docs/storage-format.md): u32 n, u8 types[n],
// u32 offsets[n+1], the texts, then the numeric index (u32 m, f64 values[m] ascending,
// u32 codes[m]) of the entries whose whole text is a number. Entries must come sorted
// as Dictionary expects: by folded text, text, type. Stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

/// Entries given as a type byte (ValueType) followed by the text.
void EncodeDictionary(const std::vector<std::string_view>& typed_texts, std::string* out);

/// Entries that are all strings, given as their texts.
void EncodeStringDictionary(const std::vector<std::string_view>& texts, std::string* out);

}  // namespace cairn::storage
