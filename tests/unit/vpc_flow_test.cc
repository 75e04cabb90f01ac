// Unit tests for VPC flow logs: line shapes, the reader's header and default layouts, and
// the flattener's fields, absent values, times and exact rebuild.
#include "engine/ingest/vpc_flow.h"

#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "storage/coding.h"
#include "storage/segment_builder.h"
#include "storage/shape.h"
#include "tests/unit/temp_dir.h"

using namespace cairn::engine;
using cairn::storage::ByteWriter;
using cairn::storage::TypedText;
using cairn::storage::ValueType;

namespace {
struct Read {
  std::vector<std::string> lines;   // line numbers and fields "3: srcaddr=1.2.3.4 ..."
  std::vector<std::string> errors;  // "line 4: ..."
};

Read ReadText(const std::string& name, const std::string& text) {
  std::string path = cairn::test::TempDir("vpc_" + name) + "/flow.log";
  std::ofstream(path) << text;
  InputFile file{path, text.size(), false};
  auto opened = ByteStream::Open(file);
  REQUIRE(opened.ok());
  std::unique_ptr<ByteStream> stream(opened.value());
  Read read;
  DelimitedCallbacks cb;
  cb.on_record = [&](const DelimitedRecord& r) {
    std::string s = std::to_string(r.line_no) + ":";
    for (size_t i = 0; i < r.tokens.size(); ++i) s += " " + (*r.names)[i] + "=" + std::string(r.tokens[i]);
    read.lines.push_back(s);
  };
  cb.on_error = [&](const std::string& where, const std::string& message) {
    read.errors.push_back(where + ": " + message);
  };
  VpcFlowReader reader;
  ReadSummary summary;
  CHECK(reader.Read(stream.get(), cb, &summary).ok());
  CHECK(summary.bytes == text.size());
  return read;
}
}  // namespace

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

TEST_CASE("vpc flow reader: default layout, headers, and lines no layout fits") {
  Read r =
      ReadText("layouts",
               "2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1620000000 1620000060 ACCEPT OK\n"
               "version srcaddr dstaddr action\n"
               "\n"
               "3 10.0.0.3 10.0.0.4 REJECT\r\n"
               "10.0.0.5 10.0.0.6 REJECT x y\n"
               "2 123456789010 eni-1 10.0.0.7 10.0.0.8 22 49153 6 1 40 1620000001 1620000002 REJECT OK");
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[0].rfind("1: version=2 account_id=123456789010 interface_id=eni-1 srcaddr=10.0.0.1", 0) == 0);
  CHECK(r.lines[0].find("log_status=OK") != std::string::npos);
  CHECK(r.lines[1] == "4: version=3 srcaddr=10.0.0.3 dstaddr=10.0.0.4 action=REJECT");
  CHECK(r.lines[2].rfind("6: version=2 account_id=", 0) == 0);  // the default layout again
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "line 5: a VPC flow record of 5 fields, but the header line before it names 4");
}

TEST_CASE("vpc flow detection") {
  CHECK(LooksLikeVpcFlow("version account-id interface-id srcaddr dstaddr"));
  CHECK(LooksLikeVpcFlow("2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA"));
  CHECK_FALSE(LooksLikeVpcFlow(R"({"eventVersion":"1.08"})"));
  CHECK_FALSE(LooksLikeVpcFlow("#Version: 1.0"));
  CHECK_FALSE(LooksLikeVpcFlow("hello world"));
}

TEST_CASE("vpc flow flattener: dashes are absent fields, time from start, exact rebuild") {
  cairn::storage::SegmentBuilder builder;
  VpcFlowFlattener flattener(&builder);
  std::vector<std::string> names = {"version", "srcaddr", "action", "start", "end", "log_status"};
  auto flatten = [&](std::string line, FlatEvent* out) {
    DelimitedRecord record;
    record.line = line;
    record.names = &names;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      size_t start = i;
      while (i < line.size() && line[i] != ' ') ++i;
      if (i > start) record.tokens.push_back(std::string_view(record.line).substr(start, i - start));
    }
    flattener.Flatten(record, out);
    if (out->verbatim) return std::string();
    std::vector<TypedText> values;
    for (const auto& v : out->values) values.push_back({v.type, v.text});
    std::string rebuilt;
    REQUIRE(cairn::storage::RenderShape(out->shape, values, &rebuilt));
    return rebuilt;
  };
  FlatEvent e;
  std::string line = "2 - - 1620000000 1620000060 NODATA";
  CHECK(flatten(line, &e) == line);
  CHECK(e.values.size() == 4);  // version, start, end, log_status
  REQUIRE(e.time_us.has_value());
  CHECK(*e.time_us == 1620000000LL * 1000000);
  line = "2 10.0.0.1 ACCEPT - 1620000060 OK";
  CHECK(flatten(line, &e) == line);
  CHECK(*e.time_us == 1620000060LL * 1000000);  // no start: the end
  CHECK(e.values[0].type == ValueType::kNumber);
  CHECK(e.values[1].type == ValueType::kString);
  flatten("2  10.0.0.1 ACCEPT 1 2 OK", &e);
  CHECK(e.verbatim);  // two spaces: the line keeps its text
}
