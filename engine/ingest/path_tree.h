// PathTree numbers the field paths of flattened events: a node is the root (the event),
// a key under a parent object, or the elements of a parent array. Events of one source
// repeat the same paths, so the flattener looks up one key at a time, and keeps the
// segment builder's field id on the node, instead of building and hashing whole dotted
// paths for every value. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::engine {

class PathTree {
 public:
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kNoField = UINT32_MAX;

  PathTree();

  /// The node of member `key`, the `position`-th member of the object at `parent`.
  /// Objects of one kind list their members in one order: the node remembers which child
  /// it met at each position and checks that one before hashing.
  uint32_t Child(uint32_t parent, std::string_view key, uint32_t position) {
    {
      const std::vector<uint32_t>& seen = nodes_[parent].members;
      if (position < seen.size() && seen[position] != kRoot && nodes_[seen[position]].key == key)
        return seen[position];
    }
    uint32_t child = Find(parent, key);  // may grow nodes_: look the parent up again
    std::vector<uint32_t>& members = nodes_[parent].members;
    if (position >= members.size()) members.resize(position + 1, kRoot);
    members[position] = child;
    return child;
  }
  /// The node of the elements of the array at `parent`.
  uint32_t Elements(uint32_t parent);
  /// The dotted path of a node: "userIdentity.arn", "resources{}.ARN".
  std::string Path(uint32_t node) const;

  /// The field id stored on a node, or kNoField when none since Forget().
  uint32_t field(uint32_t node) const {
    return nodes_[node].generation == generation_ ? nodes_[node].field : kNoField;
  }
  void set_field(uint32_t node, uint32_t field) {
    nodes_[node].field = field;
    nodes_[node].generation = generation_;
  }
  /// Forgets every field id (they belong to a builder that is done); drops the paths too
  /// once there are many, so that events with ever new keys do not grow it without bound.
  void Forget();
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t parent = 0;
    bool array = false;     // the elements of the parent array, else a member `key`
    uint32_t elements = 0;  // this node's elements child, 0 if none yet
    uint32_t field = kNoField;
    uint32_t generation = 0;
    std::string key;
    std::vector<uint32_t> members;  // by member position: the child met there last
  };
  // The node of member `key` of `parent`, through the hash table.
  uint32_t Find(uint32_t parent, std::string_view key);
  struct Slot {
    uint32_t hash = 0;
    uint32_t node = 0;  // 0: free (the root is never a child)
  };
  void Grow();

  std::vector<Node> nodes_;
  std::vector<Slot> slots_;
  uint32_t generation_ = 1;
};

}  // namespace cairn::engine
