// iplocation: adds where an IP address is, from the GeoIP database (engine/geo/geoip.h).
//   iplocation sourceIPAddress      iplocation prefix=src_ allfields=true sourceIPAddress
// Fields: City, Country, Region, lat, lon (and Continent with allfields=true), each with
// prefix=. Debian's geoip-database knows countries only; City, Region, lat and lon need a
// city database in the same folder (a notice says so once). Private, reserved and unknown
// addresses, and values that are not addresses, get no fields.
#include "engine/commands/commands.h"
#include "engine/geo/geoip.h"
#include "engine/pipeline/aggregation.h"

namespace cairn::engine {

namespace {

class IplocationCommand final : public Command {
 public:
  std::optional<std::vector<std::string>> FieldsRead() const override { return std::vector<std::string>{field_}; }
  IplocationCommand(std::string field, std::string prefix, bool allfields, query::Span span)
      : field_(std::move(field)), prefix_(std::move(prefix)), allfields_(allfields), span_(span) {}
  bool one_to_one() const override { return true; }
  StreamRole stream_role() const override { return StreamRole::kPerRecord; }
  bool may_change_time() const override { return false; }
  std::string ToString() const override {
    return "iplocation " + (prefix_.empty() ? "" : "prefix=" + prefix_ + " ") + (allfields_ ? "allfields=true " : "") + field_;
  }
  storage::Status Execute(std::vector<Record>* records, ExecContext* ctx) override {
    auto db = GeoDatabase::Get();
    if (!db.ok()) return db.status();
    const GeoDatabase& geo = *db.value();
    if (!geo.has_cities())
      ctx->warnings.push_back(ArgError("iplocation: the GeoIP database in " + geo.dir() +
                                           " has countries only; City, Region, lat and lon stay empty",
                                       span_, "put GeoIPCity.dat (or GeoLiteCity.dat) there, or set CAIRN_GEOIP_DIR"));
    for (Record& r : *records) {
      const FieldCell* c = r.Get(field_);
      if (c == nullptr || c->empty()) continue;
      std::optional<GeoPlace> place = geo.Lookup((*c)[0]);
      if (!place) continue;
      auto set = [&](const char* name, const std::string& v) {
        if (!v.empty()) r.Set(prefix_ + name, FieldCell({v}));
      };
      set("City", place->city);
      set("Country", place->country);
      set("Region", place->region);
      if (place->lat) r.Set(prefix_ + "lat", FieldCell({FormatNumber(*place->lat)}, ValueKind::kNumber));
      if (place->lon) r.Set(prefix_ + "lon", FieldCell({FormatNumber(*place->lon)}, ValueKind::kNumber));
      if (allfields_) set("Continent", place->continent);
    }
    return storage::Status::OK();
  }

 private:
  std::string field_, prefix_;
  bool allfields_;
  query::Span span_;  // the command's name, where warnings point
};

std::unique_ptr<Command> MakeIplocationCommand(const query::CommandNode& node, CommandArgs* args,
                                               std::optional<query::Diagnostic>* error) {
  if (args->fields().size() != 1) {
    *error = ArgError("iplocation takes one field: iplocation sourceIPAddress", node.args_span);
    return nullptr;
  }
  return std::make_unique<IplocationCommand>(args->fields()[0], args->Text("prefix"), args->Bool("allfields"), node.name_span);
}

const bool kRegistered = RegisterCommand({"iplocation", "iplocation [prefix=S] [allfields=B] [lang=L] FIELD",
                                          ArgumentStyle::kOptions,
                                          {{"prefix", OptionType::kText, "", "put before the names of the new fields"},
                                           {"allfields", OptionType::kBool, "false", "add Continent too"},
                                           {"lang", OptionType::kText, "", "accepted: names are in English"}},
                                          MakeIplocationCommand, {{"FIELD", ArgumentKind::kFields, ""}}});

}  // namespace

}  // namespace cairn::engine
