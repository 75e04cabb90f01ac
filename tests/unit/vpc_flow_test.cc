// Unit tests for VPC flow logs: line shapes, header and default layouts, absent values,
// times and the exact rebuild.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "engine/ingest/vpc_flow.h"
#include "storage/coding.h"
#include "storage/shape.h"
#include "tests/unit/text_log_read.h"

using namespace cairn::engine;
using cairn::storage::ByteWriter;
using cairn::storage::TypedText;
using cairn::storage::ValueType;
using Field = std::pair<std::string, std::string>;

TEST_CASE("line shapes rebuild text with fields, raw values and literal text") {
  std::string shape;
  ByteWriter w(&shape);
  w.PutU8('f');
  w.PutString("version");
  w.PutU8('r');
  w.PutU8('t');
  w.PutString(" - n ");  // literal text, even one holding op letters
  w.PutU8('f');
  w.PutString("srcaddr");
  w.PutU8('r');
  std::vector<TypedText> values = {{ValueType::kNumber, "2"}, {ValueType::kString, "10.0.0.1"}};
  std::string out;
  REQUIRE(cairn::storage::RenderShape(shape, values, &out));
  CHECK(out == "2 - n 10.0.0.1");
  std::vector<std::string> paths;
  REQUIRE(cairn::storage::ShapeValuePaths(shape, &paths));
  CHECK(paths == std::vector<std::string>{"version", "srcaddr"});
  CHECK_FALSE(cairn::storage::ShapeHasNull(shape));
  std::vector<std::string_view> keys;
  cairn::storage::ShapeKeys(shape, &keys);
  CHECK(keys.empty());  // field names of a line are not in its text
  values.pop_back();
  out.clear();
  CHECK_FALSE(cairn::storage::RenderShape(shape, values, &out));
}

TEST_CASE("vpc flow: default layout, headers, and lines no layout fits") {
  VpcFlowFormat format;
  auto read = cairn::test::ReadTextLog(
      &format, "vpc_layouts",
      "2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK\n"
      "version srcaddr dstaddr action\n"
      "\n"
      "3 10.0.0.3 10.0.0.4 REJECT\r\n"
      "10.0.0.5 10.0.0.6 REJECT x y\n"
      "2 123456789010 eni-1 10.0.0.7 10.0.0.8 22 49153 6 1 40 1620000001 1620000002 REJECT OK");
  REQUIRE(read.records.size() == 3);
  const auto& first = read.records[0].fields;
  CHECK(first[1] == Field{"account_id", "123456789010"});
  CHECK(first[13] == Field{"log_status", "OK"});
  CHECK(read.records[1].line_no == 4);
  CHECK(read.records[1].fields ==
        std::vector<Field>{{"version", "3"}, {"srcaddr", "10.0.0.3"}, {"dstaddr", "10.0.0.4"}, {"action", "REJECT"}});
  CHECK(read.records[2].fields[1].first == "account_id");  // the default layout again
  CHECK(read.errors == std::vector<std::string>{
                           "line 5: a VPC flow record of 5 fields, but the header line before it names 4"});
}

TEST_CASE("vpc flow detection") {
  VpcFlowFormat format;
  CHECK(format.Matches("version account-id interface-id srcaddr dstaddr"));
  CHECK(format.Matches("\n2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n"));
  CHECK_FALSE(format.Matches("#Version: 1.0"));
  CHECK_FALSE(format.Matches("hello world"));
}

TEST_CASE("vpc flow: dashes are absent fields, time from start, exact rebuild") {
  VpcFlowFormat format;
  auto read = cairn::test::ReadTextLog(&format, "vpc_values",
                                       "version srcaddr action start end log-status\n"
                                       "2 - - 1620000000 1620000060 NODATA\n"
                                       "2 10.0.0.1 ACCEPT - 1620000060 OK\n"
                                       "2  10.0.0.1 ACCEPT 1 2 OK\n");
  REQUIRE(read.records.size() == 3);
  CHECK(read.records[0].rebuilt == "2 - - 1620000000 1620000060 NODATA");
  CHECK(read.records[0].values == 4);  // version, start, end, log_status
  CHECK(read.records[0].time_us == 1620000000LL * 1000000);
  CHECK(read.records[1].rebuilt == "2 10.0.0.1 ACCEPT - 1620000060 OK");
  CHECK(read.records[1].time_us == 1620000060LL * 1000000);  // no start: the end
  CHECK(read.records[2].verbatim);  // two spaces: the line keeps its text
}

TEST_CASE("a header naming cairn's own fields keeps them apart, as orig_ fields") {
  VpcFlowFormat format;
  auto read = cairn::test::ReadTextLog(&format, "vpc_reserved",
                                       "version srcaddr source index\n"
                                       "2 10.0.0.1 eni-1 blue\n");
  REQUIRE(read.records.size() == 1);
  CHECK(read.records[0].rebuilt == "2 10.0.0.1 eni-1 blue");
  CHECK(read.records[0].stored ==
        std::vector<std::string>{"version", "srcaddr", "orig_source", "orig_index"});
}
