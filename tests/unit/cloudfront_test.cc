// Unit tests for CloudFront access logs: detection, #Fields directives and field names,
// lines of the wrong width, the time and absent fields.
#include "engine/ingest/cloudfront.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/unit/text_log_read.h"

using namespace cairn::engine;

TEST_CASE("cloudfront detection") {
  CloudFrontFormat format;
  CHECK(format.Matches("#Version: 1.0\n#Fields: date time x-edge-location sc-bytes\n"));
  CHECK_FALSE(format.Matches("#Version: 1.0\n#Fields: date time s-ip cs-method\n"));  // IIS
  std::string standard = "2019-12-04\t21:02:31";
  for (int i = 2; i < 33; ++i) standard += "\t-";
  CHECK(format.Matches(standard + "\n"));
  CHECK_FALSE(format.Matches("2 123456789010 eni-1 - - - - - - - 1 2 - NODATA\n"));
}

TEST_CASE("cloudfront: #Fields names the fields; a short line is kept in part, a long one reported") {
  CloudFrontFormat format;
  auto read = cairn::test::ReadTextLog(&format, "cloudfront",
                                       "#Version: 1.0\n"
                                       "#Fields: date time c-ip cs(User-Agent) sc-status cs-uri-query\n"
                                       "2025-12-29\t10:00:04\t192.0.2.1\tcurl/8.0\t200\t-\n"
                                       "2025-12-29\t10:00:05\t192.0.2.2\t404\n"
                                       "2025-12-29\t10:00:06\t192.0.2.3\tMozilla/5.0%20(X11)\t304\ta=1\r\n"
                                       "2025-12-29\t10:00:07\t192.0.2.4\tcurl/8.0\t200\t-\textra\n");
  REQUIRE(read.records.size() == 3);
  std::vector<std::string> names;
  for (const auto& [name, token] : read.records[0].fields) names.push_back(name);
  CHECK(names ==
        std::vector<std::string>{"date", "time", "c_ip", "cs_user_agent", "sc_status", "cs_uri_query"});
  CHECK(read.records[0].line_no == 3);
  // The short line keeps its four fields under the first four names, and its text.
  CHECK(read.records[1].line_no == 4);
  CHECK(read.records[1].values == 4);
  CHECK(read.records[1].rebuilt == "2025-12-29\t10:00:05\t192.0.2.2\t404");
  CHECK(read.records[1].fields[3].first == "cs_user_agent");
  CHECK(read.records[2].line_no == 5);
  CHECK(read.warnings ==
        std::vector<std::string>{"line 4: a CloudFront log line of 4 tab-separated fields, but the #Fields line "
                                 "names 6: kept with the first 4"});
  CHECK(read.errors ==
        std::vector<std::string>{
            "line 6: a CloudFront log line of 7 tab-separated fields, but the #Fields line names 6"});
  CHECK(read.records[0].values == 5);  // the query string is "-": absent
  CHECK(read.records[2].values == 6);
  CHECK(read.records[0].time_us == 1767002404LL * 1000000);  // 2025-12-29T10:00:04Z
  CHECK(read.records[0].rebuilt == "2025-12-29\t10:00:04\t192.0.2.1\tcurl/8.0\t200\t-");
}
