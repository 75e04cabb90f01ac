// GeoDatabase: IP address → place, from the legacy MaxMind databases Debian ships
// (geoip-database: GeoIP.dat and GeoIPv6.dat, countries) read with libGeoIP, and a city
// database (GeoIPCity.dat or GeoLiteCity.dat, IPv4) when one is in the same folder. The
// folder is $CAIRN_GEOIP_DIR, else /usr/share/GeoIP. Private and unknown addresses have no
// place. Opened once per process; lookups are read-only after that. Not thread-safe.
#pragma once

#include <optional>
#include <string>

#include "storage/status.h"

namespace cairn::engine {

struct GeoPlace {
  std::string country, country_code, continent, region, city;
  std::optional<double> lat, lon;
};

class GeoDatabase {
 public:
  /// The process's database, opened on first use; an error names the folder and what to
  /// install when no database is there.
  static storage::Result<GeoDatabase*> Get();
  ~GeoDatabase();

  /// The place of `ip` (IPv4 or IPv6 text), or nullopt when unknown.
  std::optional<GeoPlace> Lookup(const std::string& ip) const;
  /// True when city-level fields (City, Region, lat, lon) can be filled.
  bool has_cities() const { return city_ != nullptr; }
  const std::string& dir() const { return dir_; }

 private:
  GeoDatabase() = default;
  std::string dir_;
  void* country_ = nullptr;  // GeoIP* (kept opaque: GeoIP.h stays out of this header)
  void* country_v6_ = nullptr;
  void* city_ = nullptr;
};

}  // namespace cairn::engine
