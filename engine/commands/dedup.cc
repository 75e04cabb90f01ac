// dedup: keeps the first N results (default 1) for each combination of the fields' values,
// in search order. Results lacking any of the fields are dropped unless keepempty=true;
// consecutive=true removes only runs of neighbours; sortby sorts what is kept (sort's keys).
//   dedup 2 userIdentity.arn sourceIPAddress      dedup user sortby -_time
#include <map>

#include "engine/commands/commands.h"
#include "engine/pipeline/field_list.h"
#include "engine/pipeline/sort_keys.h"

namespace cairn::engine {

namespace {
class DedupCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override {
    std::vector<std::string> f = fields_;
    for (const SortKey& k : sortby_) f.push_back(k.field);
    return f;
  }
  DedupCommand(uint64_t n, std::vector<std::string> fields, bool keepempty, bool consecutive, std::vector<SortKey> sortby)
      : n_(n), fields_(std::move(fields)), keepempty_(keepempty), consecutive_(consecutive), sortby_(std::move(sortby)) {}
  std::string ToString() const override {
    std::string s = "dedup " + std::to_string(n_);
    for (const auto& f : fields_) s += " " + f;
    return s + (keepempty_ ? " keepempty=true" : "") + (consecutive_ ? " consecutive=true" : "") +
           (sortby_.empty() ? "" : " sortby" + DescribeSortKeys(sortby_));
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::map<std::vector<FieldCell>, uint64_t> seen;
    std::vector<FieldCell> previous;
    bool have_previous = false;
    std::vector<Record> out;
    for (size_t i = 0; i < records->size(); ++i) {
      if ((i & 4095) == 4095)
        if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
      Record& r = (*records)[i];
      std::vector<FieldCell> key;
      bool missing = false;
      for (const auto& f : fields_) {
        const FieldCell* c = r.Get(f);
        if (c == nullptr || c->empty()) missing = true;
        key.push_back(c ? *c : FieldCell());
      }
      if (missing) {
        if (keepempty_) out.push_back(std::move(r));
        continue;
      }
      if (consecutive_) {
        if (have_previous && key == previous) continue;
        previous = key;
        have_previous = true;
        out.push_back(std::move(r));
        continue;
      }
      if (++seen[key] <= n_) out.push_back(std::move(r));
    }
    if (!sortby_.empty()) SortRecords(&out, sortby_);
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  uint64_t n_;
  std::vector<std::string> fields_;
  bool keepempty_, consecutive_;
  std::vector<SortKey> sortby_;
};

}  // namespace

static std::unique_ptr<Command> MakeDedupCommand(const query::CommandNode& node, CommandArgs* args,
                                          std::optional<query::Diagnostic>* error) {
  uint64_t n = args->count().value_or(1);
  bool keepempty = args->Bool("keepempty"), consecutive = args->Bool("consecutive");
  std::vector<SortKey> sortby;
  if (args->TakeKeyword("sortby")) {
    if (!ParseSortKeys(args, &sortby, error)) return nullptr;
    if (sortby.empty()) {
      *error = ArgError("dedup: sortby needs a field, e.g. sortby -_time", args->RestSpan());
      return nullptr;
    }
  }
  if (!args->done()) {
    *error = ArgError("unexpected text", args->RestSpan());
    return nullptr;
  }
  std::vector<std::string> fields = args->fields();
  return std::make_unique<DedupCommand>(n, std::move(fields), keepempty, consecutive, std::move(sortby));
}

namespace {
const bool kRegistered = RegisterCommand({"dedup", "dedup [N] FIELD... [keepempty=true] [consecutive=true] [sortby [+|-]FIELD...]", ArgumentStyle::kOptions, {{"keepempty", OptionType::kBool, "false", "keep results lacking a field"}, {"consecutive", OptionType::kBool, "false", "remove only consecutive duplicates"}, {"keepevents", OptionType::kBool, "false", "accepted; every result is kept or removed whole"}}, MakeDedupCommand,
                                          {{"N", ArgumentKind::kCount, ""}, {"FIELD...", ArgumentKind::kFields, "", "sortby"}, {"[sortby ...]", ArgumentKind::kCustom, ""}}});
}  // namespace

}  // namespace cairn::engine
