// Unit tests for the labs: which answers AnswerMatches accepts per kind, lab.yml errors named
// with file and line, and progress.tsv written and read back.
#include "cairn/lab.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace cairn {
namespace {

LabTask Task(const char* answer, AnswerKind kind, std::vector<std::string> accept = {}) {
  LabTask t;
  t.answer = answer;
  t.kind = kind;
  t.accept = std::move(accept);
  return t;
}

std::string TempDir(const char* name) {
  auto dir = std::filesystem::temp_directory_path() / (std::string("cairn-lab-test-") + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace

TEST_CASE("text answers: case, spaces, quotes and a full stop do not matter; other words do") {
  LabTask t = Task("Mullvad VPN", AnswerKind::kText, {"Mullvad"});
  CHECK(AnswerMatches(t, "Mullvad VPN"));
  CHECK(AnswerMatches(t, "  mullvad   vpn "));
  CHECK(AnswerMatches(t, "\"MULLVAD VPN\""));
  CHECK(AnswerMatches(t, "Mullvad VPN."));
  CHECK(AnswerMatches(t, "mullvad"));
  CHECK_FALSE(AnswerMatches(t, "Mullvad VPN AB"));
  CHECK_FALSE(AnswerMatches(t, "ProtonVPN"));
  CHECK_FALSE(AnswerMatches(t, ""));
  LabTask arn = Task("chen.wei", AnswerKind::kText, {"arn:aws:iam::482915306127:user/chen.wei"});
  CHECK(AnswerMatches(arn, "arn:aws:iam::482915306127:user/chen.wei"));
  CHECK_FALSE(AnswerMatches(arn, "arn:aws:iam::482915306127:user/chen.we"));
  CHECK_FALSE(AnswerMatches(arn, "chen"));
}

TEST_CASE("number answers: the same integer, thousands separators allowed") {
  LabTask t = Task("1204", AnswerKind::kNumber);
  CHECK(AnswerMatches(t, "1204"));
  CHECK(AnswerMatches(t, " 1,204 "));
  CHECK_FALSE(AnswerMatches(t, "1205"));
  CHECK_FALSE(AnswerMatches(t, "12,04"));
  CHECK_FALSE(AnswerMatches(t, "1204 files"));
  CHECK_FALSE(AnswerMatches(t, "1204.5"));
}

TEST_CASE("list answers: the same items in any order and with any separator") {
  LabTask t = Task("3389, 5432", AnswerKind::kList);
  CHECK(AnswerMatches(t, "5432 and 3389"));
  CHECK(AnswerMatches(t, "3389/5432"));
  CHECK(AnswerMatches(t, "3389 5432"));
  CHECK_FALSE(AnswerMatches(t, "3389"));
  CHECK_FALSE(AnswerMatches(t, "3389, 5432, 22"));
  CHECK_FALSE(AnswerMatches(t, "and"));
}

TEST_CASE("time answers: the same instant in the usual ways to write a UTC time") {
  LabTask t = Task("2026-11-24 18:42:07", AnswerKind::kTime);
  CHECK(AnswerMatches(t, "2026-11-24T18:42:07Z"));
  CHECK(AnswerMatches(t, "2026-11-24 18:42:07 UTC"));
  CHECK(AnswerMatches(t, "2026-11-24T18:42:07.000Z"));
  CHECK_FALSE(AnswerMatches(t, "2026-11-24 18:42:08"));
  CHECK_FALSE(AnswerMatches(t, "2026-11-24"));
  CHECK_FALSE(AnswerMatches(t, "yesterday"));
}

TEST_CASE("lab.yml: a task without an answer is named with its file and line") {
  std::string dir = TempDir("bad");
  std::ofstream(dir + "/lab.yml") << "name: x\ntitle: X\ntasks:\n  - question: q?\n    query: index=x\n";
  auto lab = LoadLab(dir);
  REQUIRE_FALSE(lab.ok());
  CHECK(lab.status().message().find(dir + "/lab.yml:4") != std::string::npos);
  CHECK(lab.status().message().find("needs a question, a query and an answer") != std::string::npos);
  std::ofstream(dir + "/lab.yml") << "name: x\ntitle: X\ntasks: [\n";
  CHECK_FALSE(LoadLab(dir).ok());
  std::ofstream(dir + "/lab.yml")
      << "name: x\ntitle: X\ntasks:\n  - {question: q, query: a, answer: b, kind: date}\n";
  auto kind = LoadLab(dir);
  REQUIRE_FALSE(kind.ok());
  CHECK(kind.status().message().find("kind is text, number, list or time") != std::string::npos);
  CHECK(LoadLab(dir + "/missing").status().code() == Status::Code::kNotFound);
}

TEST_CASE("lab.yml: a data path that leads outside the lab's folder is refused") {
  std::string dir = TempDir("outside");
  const char* tasks = "tasks:\n  - {question: q, query: a, answer: b}\n";
  for (const char* path : {"/etc/passwd", "../../home/x/.ssh/id_rsa", "data/../../x"}) {
    std::ofstream(dir + "/lab.yml") << "name: x\ntitle: X\ndata:\n  - path: '" << path << "'\n" << tasks;
    auto lab = LoadLab(dir);
    REQUIRE_FALSE(lab.ok());
    CHECK(lab.status().message().find("lies inside the lab's folder") != std::string::npos);
    CHECK(lab.status().message().find(path) != std::string::npos);
  }
  std::ofstream(dir + "/lab.yml") << "name: x\ntitle: X\ndata:\n  - path: data/cloudtrail.json\n" << tasks;
  CHECK(LoadLab(dir).ok());
}

TEST_CASE("lab.yml: tasks are numbered in order, data entries default to the main index") {
  std::string dir = TempDir("good");
  std::ofstream(dir + "/lab.yml")
      << "name: x\ntitle: X\ndata:\n  - path: a.json\n  - {path: b.log, index: aws, "
         "sourcetype: 's:t', source: b.log}\ntasks:\n"
         "  - {question: one, query: q1, answer: '13', kind: number}\n"
         "  - question: two\n    hints: [h1, h2]\n    query: |\n      q2\n      | stats count\n"
         "    answer: a\n    accept: [b]\n";
  auto lab = LoadLab(dir);
  REQUIRE(lab.ok());
  REQUIRE(lab.value().tasks.size() == 2);
  CHECK(lab.value().tasks[1].number == 2);
  CHECK(lab.value().tasks[1].query == "q2\n| stats count");
  CHECK(lab.value().tasks[1].hints.size() == 2);
  CHECK(lab.value().tasks[0].kind == AnswerKind::kNumber);
  CHECK(lab.value().data[0].index == "main");
  CHECK(lab.value().data[1].sourcetype == "s:t");
}

TEST_CASE("progress.tsv: written atomically and read back; a damaged line is named") {
  std::string dir = TempDir("progress");
  LabProgress p;
  p.tasks[3].solved = true;
  p.tasks[3].attempts = 2;
  p.tasks[3].solved_at = 1796660561;
  p.tasks[5].revealed = true;
  p.tasks[5].hints = 1;
  REQUIRE(WriteLabProgress(dir + "/progress.tsv", p).ok());
  auto back = ReadLabProgress(dir + "/progress.tsv");
  REQUIRE(back.ok());
  CHECK(back.value().tasks.size() == 2);
  CHECK(back.value().tasks[3].solved);
  CHECK(back.value().tasks[3].attempts == 2);
  CHECK(back.value().tasks[3].solved_at == 1796660561);
  CHECK(back.value().tasks[5].revealed);
  CHECK(back.value().tasks[5].hints == 1);
  CHECK(ReadLabProgress(dir + "/none.tsv").value().tasks.empty());
  std::ofstream(dir + "/progress.tsv", std::ios::app) << "7\tyes\n";
  auto bad = ReadLabProgress(dir + "/progress.tsv");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("progress.tsv:4") != std::string::npos);
}

}  // namespace cairn
