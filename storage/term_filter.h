// Term filters: for each high-cardinality field of a segment (event IDs, ARNs, tokens),
// whose values stay out of the term index, a blocked Bloom filter of the parts of its
// values (text between breakers, folded). A search term whose parts are not all in the
// filter cannot occur in the field, so term search skips reading that field's dictionary.
// The hash and the bit layout are part of the storage format (docs/storage-format.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::storage {

/// The format's 64-bit hash of a folded term.
uint64_t TermHash(std::string_view term);

constexpr size_t kTermFilterHeaderBytes = 8;  // block count u32, probes u8, 3 zero bytes
constexpr size_t kTermFilterBlockBytes = 64;

/// Builds a filter section from term hashes (repeats allowed).
std::string BuildTermFilter(std::vector<uint64_t> hashes);

/// Byte offset, within a filter section of `blocks` blocks, of the block that `hash` maps to.
size_t TermFilterBlockOffset(uint64_t hash, uint32_t blocks);
/// Whether the 64-byte block at `block` (the one TermFilterBlockOffset named) may hold `hash`.
bool TermFilterBlockMayContain(const char* block, uint64_t hash, uint8_t probes);

}  // namespace cairn::storage
