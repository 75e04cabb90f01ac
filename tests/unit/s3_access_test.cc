// Unit tests for S3 server access logs: detection, quoted and bracketed fields, the common
// log time, and lines that are not records.
#include "engine/ingest/s3_access.h"

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "engine/ingest/time_parse.h"
#include "storage/segment_builder.h"
#include "storage/shape.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::engine;

namespace {
const char kLine[] =
    "79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.VERSIONING - "
    "\"GET /my-bucket?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -";
}

TEST_CASE("common log time") {
  CHECK(ParseCommonLogTime("06/Feb/2019:00:00:38 +0000") == 1549411238LL * 1000000);
  CHECK(ParseCommonLogTime("06/Feb/2019:02:00:38 +0200") == 1549411238LL * 1000000);
  CHECK_FALSE(ParseCommonLogTime("06/Fbr/2019:00:00:38 +0000").has_value());
  CHECK_FALSE(ParseCommonLogTime("2019-02-06T00:00:38Z").has_value());
}

TEST_CASE("s3 access detection") {
  CHECK(LooksLikeS3Access(kLine));
  CHECK_FALSE(LooksLikeS3Access("2 123456789010 eni-1 - - - - - - - 1 2 - NODATA"));
  CHECK_FALSE(LooksLikeS3Access("79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E5 GET.OBJECT"));
}

TEST_CASE("s3 access reader: quoted and bracketed fields; lines that are not records") {
  std::string path = cairn::test::TempDir("s3access") + "/log";
  std::ofstream(path)
      << kLine << "\n"
      << "79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E5 REST.GET.OBJECT k \"GET /k\n"
      << kLine << " host1 SigV4 ECDHE AuthHeader my-bucket.s3.amazonaws.com TLSv1.2 - - new-field\n";
  auto opened = ByteStream::Open(InputFile{path, 0, false});
  REQUIRE(opened.ok());
  std::unique_ptr<ByteStream> stream(opened.value());
  cairn::storage::SegmentBuilder builder;
  S3AccessFlattener flattener(&builder);
  // What each record held, copied while its views are valid.
  std::vector<std::vector<std::pair<std::string, std::string>>> records;
  std::vector<FlatEvent> events;
  std::vector<std::string> rebuilt;
  std::vector<std::string> errors;
  DelimitedCallbacks cb;
  cb.on_record = [&](const DelimitedRecord& r) {
    records.emplace_back();
    for (size_t i = 0; i < r.tokens.size(); ++i)
      records.back().emplace_back((*r.names)[i], std::string(r.tokens[i]));
    events.emplace_back();
    flattener.Flatten(r, &events.back());
    std::vector<cairn::storage::TypedText> values;
    for (const auto& v : events.back().values) values.push_back({v.type, v.text});
    rebuilt.emplace_back();
    if (!events.back().verbatim) cairn::storage::RenderShape(events.back().shape, values, &rebuilt.back());
  };
  cb.on_error = [&](const std::string& where, const std::string& message) {
    errors.push_back(where + ": " + message);
  };
  S3AccessReader reader;
  ReadSummary summary;
  REQUIRE(reader.Read(stream.get(), cb, &summary).ok());
  REQUIRE(records.size() == 2);
  CHECK(errors == std::vector<std::string>{"line 2: not an S3 server access log record"});
  const auto& r = records[0];
  REQUIRE(r.size() == 18);
  CHECK(r[2] == std::pair<std::string, std::string>{"time", "06/Feb/2019:00:00:38 +0000"});
  CHECK(r[8] == std::pair<std::string, std::string>{"request_uri", "GET /my-bucket?versioning HTTP/1.1"});
  CHECK(r[16].second == "S3Console/0.4");
  REQUIRE(records[1].size() == 27);
  CHECK(records[1][18] == std::pair<std::string, std::string>{"host_id", "host1"});
  CHECK(records[1][26] ==
        std::pair<std::string, std::string>{"field_27", "new-field"});  // added by AWS later
  REQUIRE(events[0].time_us.has_value());
  CHECK(*events[0].time_us == 1549411238LL * 1000000);
  // The rebuild writes the quotes and brackets back.
  CHECK_FALSE(events[0].verbatim);
  CHECK(rebuilt[0] == kLine);
}
