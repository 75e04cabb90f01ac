// Unit tests for S3 server access logs: detection, quoted and bracketed fields, the common
// log time, and lines that are not records.
#include "engine/ingest/s3_access.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/ingest/time_parse.h"
#include "tests/unit/text_log_read.h"

using namespace cairn::engine;

namespace {
const char kLine[] =
    "79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.VERSIONING - "
    "\"GET /my-bucket?versioning HTTP/1.1\" 200 - 113 - 7 - \"-\" \"S3Console/0.4\" -";
using Field = std::pair<std::string, std::string>;
}  // namespace

TEST_CASE("common log time") {
  CHECK(ParseCommonLogTime("06/Feb/2019:00:00:38 +0000") == 1549411238LL * 1000000);
  CHECK(ParseCommonLogTime("06/Feb/2019:02:00:38 +0200") == 1549411238LL * 1000000);
  CHECK_FALSE(ParseCommonLogTime("06/Fbr/2019:00:00:38 +0000").has_value());
  CHECK_FALSE(ParseCommonLogTime("2019-02-06T00:00:38Z").has_value());
}

TEST_CASE("s3 access detection") {
  S3AccessFormat format;
  CHECK(format.Matches(kLine));
  CHECK_FALSE(format.Matches("2 123456789010 eni-1 - - - - - - - 1 2 - NODATA"));
  CHECK_FALSE(format.Matches("79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E5 GET.OBJECT"));
}

TEST_CASE("s3 access: quoted and bracketed fields; lines that are not records") {
  S3AccessFormat format;
  auto read = cairn::test::ReadTextLog(
      &format, "s3access",
      std::string(kLine) + "\n" +
          "79a5 my-bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E5 REST.GET.OBJECT k \"GET /k\n" + kLine +
          " host1 SigV4 ECDHE AuthHeader my-bucket.s3.amazonaws.com TLSv1.2 - - new-field\n");
  REQUIRE(read.records.size() == 2);
  CHECK(read.errors == std::vector<std::string>{"line 2: not an S3 server access log record"});
  const auto& r = read.records[0].fields;
  REQUIRE(r.size() == 18);
  CHECK(r[2] == Field{"time", "06/Feb/2019:00:00:38 +0000"});
  CHECK(r[8] == Field{"request_uri", "GET /my-bucket?versioning HTTP/1.1"});
  CHECK(r[16].second == "S3Console/0.4");
  REQUIRE(read.records[1].fields.size() == 27);
  CHECK(read.records[1].fields[18] == Field{"host_id", "host1"});
  CHECK(read.records[1].fields[26] == Field{"field_27", "new-field"});  // added by AWS later
  CHECK(read.records[0].time_us == 1549411238LL * 1000000);
  // The rebuild writes the quotes and brackets back.
  CHECK_FALSE(read.records[0].verbatim);
  CHECK(read.records[0].rebuilt == kLine);
}
