#include "engine/ingest/path_tree.h"

#include <algorithm>

#include "storage/string_interner.h"

namespace cairn::engine {

namespace {
constexpr size_t kMaxNodes = 1 << 16;
constexpr size_t kFirstSlots = 256;
}  // namespace

PathTree::PathTree() : nodes_(1), slots_(kFirstSlots) {}

uint32_t PathTree::Find(uint32_t parent, std::string_view key) {
  auto h = static_cast<uint32_t>(storage::HashBytes(key.data(), key.size(), parent));
  size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  while (slots_[i].node != 0) {
    const Node& n = nodes_[slots_[i].node];
    if (slots_[i].hash == h && n.parent == parent && !n.array && n.key == key) return slots_[i].node;
    i = (i + 1) & mask;
  }
  auto id = static_cast<uint32_t>(nodes_.size());
  Node node;
  node.parent = parent;
  node.key = std::string(key);
  nodes_.push_back(std::move(node));
  slots_[i] = {h, id};
  if (nodes_.size() * 2 > slots_.size()) Grow();
  return id;
}

uint32_t PathTree::Elements(uint32_t parent) {
  if (nodes_[parent].elements != 0) return nodes_[parent].elements;
  auto id = static_cast<uint32_t>(nodes_.size());
  Node node;
  node.parent = parent;
  node.array = true;
  nodes_.push_back(std::move(node));
  nodes_[parent].elements = id;
  return id;
}

std::string PathTree::Path(uint32_t node) const {
  std::vector<uint32_t> chain;
  for (uint32_t n = node; n != kRoot; n = nodes_[n].parent) chain.push_back(n);
  std::string path;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Node& n = nodes_[*it];
    if (n.array) {
      path.append("{}");
      continue;
    }
    if (!path.empty()) path.push_back('.');
    path.append(n.key);
  }
  return path;
}

void PathTree::Forget() {
  ++generation_;
  if (nodes_.size() <= kMaxNodes) return;
  nodes_.assign(1, Node());
  slots_.assign(kFirstSlots, Slot());
}

void PathTree::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot());
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.node == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].node != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace cairn::engine
