// mvexpand: one row per value of a multivalue field, each a copy of the row with that
// value.   mvexpand statements limit=100      A row without the field is kept as it is.
#include "engine/commands/commands.h"

namespace cairn::engine {

namespace {

class MvexpandCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  MvexpandCommand(std::string field, std::optional<uint64_t> limit) : field_(std::move(field)), limit_(limit) {}
  std::string ToString() const override {
    return "mvexpand " + field_ + (limit_ ? " limit=" + std::to_string(*limit_) : "");
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    std::vector<Record> out;
    out.reserve(records->size());
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr || c->size() <= 1) {
        out.push_back(std::move(r));
        continue;
      }
      FieldCell values = *c;
      size_t n = limit_ ? std::min<size_t>(values.size(), *limit_) : values.size();
      for (size_t i = 0; i < n; ++i) {
        Record copy = r;
        copy.Set(field_, FieldCell({values[i]}, values.kind));
        out.push_back(std::move(copy));
      }
      if (storage::Status s = ctx->CheckLimits(); !s.ok()) return s;
    }
    *records = std::move(out);
    return storage::Status::OK();
  }

 private:
  std::string field_;
  std::optional<uint64_t> limit_;
};

std::unique_ptr<Command> MakeMvexpandCommand(const query::CommandNode& node, CommandArgs* args,
                                             std::optional<query::Diagnostic>* error) {
  if (args->fields().size() != 1) {
    *error = ArgError("mvexpand takes one field", node.args_span, "synopsis: mvexpand FIELD [limit=N]");
    return nullptr;
  }
  std::optional<uint64_t> limit;
  if (args->Given("limit") && args->Count("limit") > 0) limit = args->Count("limit");
  return std::make_unique<MvexpandCommand>(args->fields()[0], limit);
}

const bool kRegistered = RegisterCommand({"mvexpand", "mvexpand FIELD [limit=N]", ArgumentStyle::kOptions,
                                          {{"limit", OptionType::kCount, "0", "values expanded per row (0: all)"}},
                                          MakeMvexpandCommand, {{"FIELD", ArgumentKind::kFields, ""}}});

}  // namespace

}  // namespace cairn::engine
