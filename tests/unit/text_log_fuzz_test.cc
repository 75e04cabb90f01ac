// Damaged lines for every text log format: bytes flipped, cut, repeated or dropped. Every
// line must come out as a record or as an error, never crash, and a record must rebuild to
// its line unless it is kept verbatim.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "engine/ingest/text_log.h"
#include "tests/unit/text_log_read.h"

namespace {
const char* const kSamples[] = {
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status\n"
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 "
    "1418530070 "
    "ACCEPT OK\n"
    "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA\n",
    "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
    "sc-status\n"
    "2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\n",
    "79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.VERSIONING - "
    "\"GET /my-bucket?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -\n",
};

std::string Damage(const std::string& text, std::mt19937* rng) {
  std::string s = text;
  std::uniform_int_distribution<int> kind(0, 4);
  for (int k = 0; k < 3 && !s.empty(); ++k) {
    std::uniform_int_distribution<size_t> at(0, s.size() - 1);
    switch (kind(*rng)) {
      case 0:
        s[at(*rng)] = static_cast<char>((*rng)() & 0xff);
        break;
      case 1:
        s.erase(at(*rng), 1);
        break;
      case 2:
        s.insert(at(*rng), 1, "\" []\t-\r\n"[(*rng)() % 8]);
        break;
      case 3:
        s.resize(at(*rng));
        break;
      default:
        s.insert(at(*rng), s.substr(at(*rng), 20));
        break;
    }
  }
  return s;
}
}  // namespace

TEST_CASE("text log formats take damaged lines without crashing") {
  std::mt19937 rng(20261128);
  size_t rebuilt = 0, errors = 0;
  for (int round = 0; round < 300; ++round) {
    for (const char* sample : kSamples) {
      std::string text = Damage(sample, &rng);
      for (auto& format : cairn::engine::TextLogFormats()) {
        auto read = cairn::test::ReadTextLog(format.get(), "fuzz", text);
        for (const auto& record : read.records) {
          if (record.verbatim) continue;
          CHECK(record.rebuilt == record.line);
          ++rebuilt;
        }
        errors += read.errors.size();
      }
    }
  }
  // The damage leaves many lines whole and breaks many others: both paths ran.
  CHECK(rebuilt > 300);
  CHECK(errors > 300);
}
