// In-process query latency: opens an index once, then runs each query several times
// through the public search API and prints one JSON line per query with the match count
// and the median, min and max latency in milliseconds. Used by bench/run.
//
//   cairn_bench --index DIR [--runs N] [--events N] QUERY...
//   (--events N: return N raw events instead of counting)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "cairn/search.h"

namespace {
void PrintJsonString(const std::string& s) {
  std::putchar('"');
  for (char c : s) {
    if (c == '"' || c == '\\') std::putchar('\\');
    std::putchar(c);
  }
  std::putchar('"');
}
}  // namespace

int main(int argc, char** argv) {
  std::string index = "cairn-data";
  int runs = 7;
  uint64_t events = 0;
  std::vector<std::string> queries;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--index" && i + 1 < argc) index = argv[++i];
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--events" && i + 1 < argc) events = std::strtoull(argv[++i], nullptr, 10);
    else queries.push_back(a);
  }
  auto opened = cairn::Searcher::Open(index);
  if (!opened.ok()) {
    std::fprintf(stderr, "cairn_bench: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<cairn::Searcher> searcher = opened.take();
  for (const std::string& q : queries) {
    cairn::SearchOptions options;
    options.count_only = events == 0;
    options.limit = events;
    options.want_raw = events > 0;
    std::vector<double> ms;
    uint64_t count = 0;
    size_t returned = 0;
    for (int r = 0; r <= runs; ++r) {  // run 0 warms the caches and is not reported
      auto start = std::chrono::steady_clock::now();
      cairn::SearchResult res = searcher->Run(q, options);
      double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (!res.status.ok()) {
        std::fprintf(stderr, "cairn_bench: %s\n", res.status.ToString().c_str());
        return 1;
      }
      count = res.matched;
      returned = res.events.size();
      if (r > 0) ms.push_back(t);
    }
    std::sort(ms.begin(), ms.end());
    std::printf("{\"query\":");
    PrintJsonString(q);
    std::printf(",\"count\":%llu,\"returned\":%zu,\"median_ms\":%.4f,\"min_ms\":%.4f,\"max_ms\":%.4f,\"runs\":%d}\n",
                static_cast<unsigned long long>(count), returned, ms[ms.size() / 2], ms.front(), ms.back(), runs);
  }
  return 0;
}
