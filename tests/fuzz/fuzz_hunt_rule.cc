// libFuzzer target: the hunt rule loaders (engine/hunt/): a Sigma rule, an ESCU detection or
// a .spl hunt file, as the content says (the first byte picks the loader when the content
// is not YAML of either kind). A Sigma rule that loads is rendered as SPL (`cairn sigma
// convert`), and that rendering must parse when its field names are ones SPL can write
// bare (query/grammar.h field_char); a rule runs from its tree, never from this text.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "cairn/hunt.h"
#include "engine/hunt/escu_detection.h"
#include "engine/hunt/sigma_rule.h"
#include "engine/hunt/spl_hunt_file.h"
#include "engine/hunt/spl_render.h"
#include "query/parser.h"
#include "tests/fuzz/fuzz_common.h"

namespace {

bool PlainFieldName(const std::string& name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) &&
        std::string_view("_.{}@:-/$#").find(static_cast<char>(c)) == std::string_view::npos)
      return false;
  return true;
}

// True if every field the tree compares (and every field a |fieldref names) is plain.
bool PlainFieldNames(const cairn::query::SearchNode& node) {
  using Kind = cairn::query::SearchNode::Kind;
  if ((node.kind == Kind::kCompare || node.kind == Kind::kIn || node.kind == Kind::kRegex ||
       node.kind == Kind::kFieldRef) &&
      !PlainFieldName(node.field))
    return false;
  if (node.kind == Kind::kFieldRef && !PlainFieldName(node.value)) return false;
  for (const auto& child : node.children)
    if (!PlainFieldNames(*child)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cairn::HuntRule rule;
  cairn::HuntProblem problem;
  if (cairn::engine::LooksLikeSigma(text)) {
    if (!cairn::engine::ParseSigmaRule(text, "fuzz.yml", &rule, &problem)) return 0;
    cairn::fuzz::Require(rule.search != nullptr, "a Sigma rule loaded without a search");
    std::string spl = cairn::engine::RenderSpl(*rule.search);
    if (!PlainFieldNames(*rule.search)) return 0;
    cairn::query::ParseResult parsed = cairn::query::ParseQuery(spl);
    if (parsed.error) std::fprintf(stderr, "rendering: %s\n", spl.c_str());
    cairn::fuzz::Require(!parsed.error, "a Sigma rule's SPL rendering does not parse");
  } else if (cairn::engine::LooksLikeEscu(text)) {
    cairn::engine::ParseEscuDetection(text, "fuzz.yml", &rule, &problem);
  } else {
    cairn::engine::ParseSplHunt(text, "fuzz.spl", &rule, &problem);
  }
  return 0;
}
