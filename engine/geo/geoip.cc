#include "engine/geo/geoip.h"

#include <GeoIP.h>
#include <GeoIPCity.h>
#include <sys/stat.h>

#include <cstdlib>
#include <memory>

namespace cairn::engine {

namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

GeoIP* OpenFile(const std::string& path) {
  if (!Exists(path)) return nullptr;
  return GeoIP_open(path.c_str(), GEOIP_MEMORY_CACHE | GEOIP_SILENCE);
}

std::string ContinentName(const char* code) {
  if (code == nullptr) return "";
  std::string c = code;
  if (c == "AF") return "Africa";
  if (c == "AN") return "Antarctica";
  if (c == "AS") return "Asia";
  if (c == "EU") return "Europe";
  if (c == "NA") return "North America";
  if (c == "OC") return "Oceania";
  if (c == "SA") return "South America";
  return "";
}

}  // namespace

storage::Result<GeoDatabase*> GeoDatabase::Get() {
  static std::unique_ptr<GeoDatabase> db;
  static std::string error;
  if (db) return db.get();
  if (!error.empty()) return storage::Status::NotFound(error);
  const char* env = std::getenv("CAIRN_GEOIP_DIR");
  std::string dir = env && *env ? env : "/usr/share/GeoIP";
  auto opened = std::unique_ptr<GeoDatabase>(new GeoDatabase());
  opened->dir_ = dir;
  opened->country_ = OpenFile(dir + "/GeoIP.dat");
  opened->country_v6_ = OpenFile(dir + "/GeoIPv6.dat");
  for (const char* name : {"GeoIPCity.dat", "GeoLiteCity.dat"})
    if (opened->city_ == nullptr) opened->city_ = OpenFile(dir + "/" + name);
  if (opened->country_ == nullptr && opened->city_ == nullptr) {
    error = "iplocation: no GeoIP database in " + dir +
            " (GeoIP.dat or GeoIPCity.dat); install Debian's geoip-database (make deps does) or set CAIRN_GEOIP_DIR";
    return storage::Status::NotFound(error);
  }
  db = std::move(opened);
  return db.get();
}

GeoDatabase::~GeoDatabase() {
  for (void* g : {country_, country_v6_, city_})
    if (g != nullptr) GeoIP_delete(static_cast<GeoIP*>(g));
}

std::optional<GeoPlace> GeoDatabase::Lookup(const std::string& ip) const {
  GeoPlace place;
  bool v6 = ip.find(':') != std::string::npos;
  if (city_ != nullptr && !v6) {
    GeoIPRecord* r = GeoIP_record_by_addr(static_cast<GeoIP*>(city_), ip.c_str());
    if (r != nullptr) {
      if (r->country_name) place.country = r->country_name;
      if (r->country_code) place.country_code = r->country_code;
      place.continent = ContinentName(r->continent_code);
      if (r->city) place.city = r->city;
      if (r->region && r->country_code) {
        const char* name = GeoIP_region_name_by_code(r->country_code, r->region);
        place.region = name ? name : r->region;
      }
      place.lat = r->latitude;
      place.lon = r->longitude;
      GeoIPRecord_delete(r);
      return place;
    }
  }
  GeoIP* db = static_cast<GeoIP*>(v6 ? country_v6_ : country_);
  if (db == nullptr) return std::nullopt;
  int id = v6 ? GeoIP_id_by_addr_v6(db, ip.c_str()) : GeoIP_id_by_addr(db, ip.c_str());
  if (id <= 0) return std::nullopt;
  place.country = GeoIP_name_by_id(id) ? GeoIP_name_by_id(id) : "";
  place.country_code = GeoIP_code_by_id(id) ? GeoIP_code_by_id(id) : "";
  place.continent = ContinentName(GeoIP_continent_by_id(id));
  if (place.country.empty()) return std::nullopt;
  return place;
}

}  // namespace cairn::engine
