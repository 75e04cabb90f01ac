// Unit tests for CloudFront access logs: detection, #Fields directives and field names,
// lines of the wrong width, and the flattener's time and absent fields.
#include "engine/ingest/cloudfront.h"

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "storage/segment_builder.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::engine;

TEST_CASE("cloudfront detection") {
  CHECK(LooksLikeCloudFront("#Version: 1.0\n#Fields: date time x-edge-location sc-bytes\n"));
  CHECK_FALSE(LooksLikeCloudFront("#Version: 1.0\n#Fields: date time s-ip cs-method\n"));  // IIS
  std::string standard = "2019-12-04\t21:02:31";
  for (int i = 2; i < 33; ++i) standard += "\t-";
  CHECK(LooksLikeCloudFront(standard + "\n"));
  CHECK_FALSE(LooksLikeCloudFront("2 123456789010 eni-1 - - - - - - - 1 2 - NODATA\n"));
  CHECK_FALSE(LooksLikeCloudFront(R"({"Records":[]})"));
}

TEST_CASE("cloudfront reader: #Fields names the fields; other widths are reported") {
  std::string path = cairn::test::TempDir("cloudfront") + "/E1.log";
  std::ofstream(path) << "#Version: 1.0\n"
                         "#Fields: date time c-ip cs(User-Agent) sc-status cs-uri-query\n"
                         "2025-12-29\t10:00:04\t192.0.2.1\tcurl/8.0\t200\t-\n"
                         "2025-12-29\t10:00:05\t192.0.2.2\t404\n"
                         "2025-12-29\t10:00:06\t192.0.2.3\tMozilla/5.0%20(X11)\t304\ta=1\r\n";
  auto opened = ByteStream::Open(InputFile{path, 0, false});
  REQUIRE(opened.ok());
  std::unique_ptr<ByteStream> stream(opened.value());
  std::vector<std::string> names;
  std::vector<uint64_t> lines;
  std::vector<std::string> errors;
  cairn::storage::SegmentBuilder builder;
  CloudFrontFlattener flattener(&builder);
  std::vector<FlatEvent> events;
  DelimitedCallbacks cb;
  cb.on_record = [&](const DelimitedRecord& r) {
    if (names.empty()) names = *r.names;
    lines.push_back(r.line_no);
    events.emplace_back();
    flattener.Flatten(r, &events.back());
  };
  cb.on_error = [&](const std::string& where, const std::string& message) {
    errors.push_back(where + ": " + message);
  };
  CloudFrontReader reader;
  ReadSummary summary;
  REQUIRE(reader.Read(stream.get(), cb, &summary).ok());
  CHECK(names ==
        std::vector<std::string>{"date", "time", "c_ip", "cs_user_agent", "sc_status", "cs_uri_query"});
  CHECK(lines == std::vector<uint64_t>{3, 5});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "line 4: a CloudFront log line of 4 tab-separated fields, but the #Fields line names 6");
  REQUIRE(events.size() == 2);
  CHECK(events[0].values.size() == 5);  // the query string is "-": absent
  CHECK(events[1].values.size() == 6);
  REQUIRE(events[0].time_us.has_value());
  CHECK(*events[0].time_us == 1767002404LL * 1000000);  // 2025-12-29T10:00:04Z
  CHECK_FALSE(events[0].verbatim);
}
