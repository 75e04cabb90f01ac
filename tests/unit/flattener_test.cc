// Unit tests for the event flattener: which events keep their original text because the
// shape rebuild would not reproduce them byte for byte, and how its path tree names fields.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

#include "engine/ingest/event_flattener.h"
#include "storage/segment_builder.h"
#include "storage/shape.h"

using cairn::engine::EventFlattener;
using cairn::engine::FlatEvent;

namespace {
struct Flattened {
  bool ok = false;
  bool verbatim = false;
  std::string rebuilt;  // the shape rebuild, when not verbatim
};

Flattened Flatten(const std::string& json) {
  cairn::storage::SegmentBuilder builder;
  EventFlattener flattener(&builder);
  std::string padded = json + std::string(simdjson::SIMDJSON_PADDING, ' ');
  FlatEvent event;
  std::string error;
  Flattened f;
  f.ok = flattener.Flatten(padded.data(), json.size(), padded.size(), &event, &error);
  f.verbatim = event.verbatim;
  if (f.ok && !event.verbatim) {
    std::vector<cairn::storage::TypedText> values;
    for (const auto& v : event.values) values.push_back({v.type, v.text});
    cairn::storage::RenderShape(event.shape, values, &f.rebuilt);
  }
  return f;
}

void CheckRebuildsExactly(const std::string& json) {
  CAPTURE(json);
  Flattened f = Flatten(json);
  REQUIRE(f.ok);
  CHECK_FALSE(f.verbatim);
  CHECK(f.rebuilt == json);
}
}  // namespace

TEST_CASE("compact events without escapes rebuild exactly") {
  CheckRebuildsExactly(R"({"a":"b"})");
  CheckRebuildsExactly(R"({"a":"x y","b":[1,2.50,-3e5],"c":{"d":true,"e":null,"f":[]},"g":{}})");
  CheckRebuildsExactly(R"({"k y":"v","n":[{"x":"1"},{"x":"2"}],"e":[[]],"z":false})");
  CheckRebuildsExactly("{\"name\":\"Jos\xc3\xa9\",\"slash\":\"a/b\"}");
}

TEST_CASE("canonical escapes rebuild exactly") {
  CheckRebuildsExactly(R"({"a":"say \"hi\"","b":"back\\slash","c":"line\nnext\ttab"})");
  CheckRebuildsExactly(R"({"policy":"{\"Version\":\"2012-10-17\"}"})");
  CheckRebuildsExactly(R"({"c":"\u0001"})");
}

TEST_CASE("events the rebuild would change keep their text") {
  for (std::string json : {
           R"({"a": "b"})",
           R"({"a" :"b"})",
           R"({"a":[1, 2]})",
           R"({"a":1 ,"b":2})",
           "{\"a\":\"b\",\n\"c\":\"d\"}",
           "{\"a\":\t\"b\"}",
           R"({"a":"b\/c"})",
           R"({"a":"\u00e9"})",
           R"({"a":"\u0041"})",
           R"({"a\u0062":"c"})",
           R"({"a":"x","b": "y\"z"})",
           R"({"_raw":"x"})",
       }) {
    CAPTURE(json);
    Flattened f = Flatten(json);
    REQUIRE(f.ok);
    CHECK(f.verbatim);
  }
  // A raw tab inside a string is not valid JSON; when accepted, its text is kept.
  Flattened tab = Flatten("{\"a\":\"x\ty\"}");
  CHECK((!tab.ok || tab.verbatim));
}

TEST_CASE("path tree names paths as the flattener's fields") {
  cairn::engine::PathTree tree;
  using cairn::engine::PathTree;
  uint32_t user = tree.Child(PathTree::kRoot, "userIdentity", 0);
  uint32_t arn = tree.Child(user, "arn", 0);
  CHECK(tree.Path(arn) == "userIdentity.arn");
  CHECK(tree.Child(PathTree::kRoot, "userIdentity", 0) == user);
  CHECK(tree.Child(user, "arn", 0) == arn);
  uint32_t resources = tree.Child(PathTree::kRoot, "resources", 1);
  uint32_t items = tree.Elements(resources);
  CHECK(tree.Path(tree.Child(items, "ARN", 0)) == "resources{}.ARN");
  CHECK(tree.Path(tree.Elements(items)) == "resources{}{}");
  // A key spelled "{}" is a member, not the elements of an array.
  uint32_t braces = tree.Child(resources, "{}", 0);
  CHECK(braces != items);
  CHECK(tree.Path(braces) == "resources.{}");
  // A member met at another position is the same node.
  CHECK(tree.Child(user, "arn", 3) == arn);
  CHECK(tree.Child(user, "type", 0) != arn);
  CHECK(tree.Child(user, "arn", 0) == arn);
  // The same key under another parent is another path.
  CHECK(tree.Child(PathTree::kRoot, "arn", 1) != arn);

  tree.set_field(arn, 7);
  CHECK(tree.field(arn) == 7);
  tree.Forget();
  CHECK(tree.field(arn) == PathTree::kNoField);
  CHECK(tree.Child(user, "arn", 0) == arn);  // paths stay while there are few
}
