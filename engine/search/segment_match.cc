#include "engine/search/segment_match.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/search/segment_evaluator.h"

namespace cairn::engine {

SegmentMatchResult MatchSegment(SegmentContext& seg, const query::LogicalPlan& plan, bool need_times) {
  SegmentMatchResult result;
  const query::TimeRange& range = plan.range;
  const storage::FooterView& footer = seg.reader().footer();
  if ((range.earliest_us && footer.max_time_us() < *range.earliest_us) ||
      (range.latest_us && footer.min_time_us() >= *range.latest_us) || footer.rows() == 0)
    return result;
  uint32_t lo = 0, hi = footer.rows();
  if (need_times || range.earliest_us || range.latest_us) {
    auto t = seg.reader().GetTimes();
    if (!t.ok()) {
      result.outcome = SegmentOutcome::kError;
      result.status = t.status();
      return result;
    }
    result.times = t.value();
    const std::vector<int64_t>& times = *result.times;
    if (range.earliest_us)
      lo = static_cast<uint32_t>(std::lower_bound(times.begin(), times.end(), *range.earliest_us) -
                                 times.begin());
    if (range.latest_us)
      hi = static_cast<uint32_t>(std::lower_bound(times.begin(), times.end(), *range.latest_us) -
                                 times.begin());
  }
  Roaring universe;
  if (hi > lo) universe.addRange(lo, hi);
  result.outcome = SegmentOutcome::kMatched;
  if (plan.search == nullptr) {
    result.rows = std::move(universe);
    return result;
  }
  result.plan = PlanSegment(*plan.search, seg);
  SegmentEvaluator eval(&seg, universe);
  if (storage::Status st = eval.Eval(&result.plan, &result.rows); !st.ok()) {
    result.outcome = SegmentOutcome::kError;
    result.status = st;
  }
  return result;
}

namespace {
// Below this many segments, or when the segments after the first would take less than this
// (judged from the first), a second thread costs more than it saves: waking it takes
// some 30 µs.
constexpr size_t kParallelMinSegments = 4;
constexpr std::chrono::microseconds kParallelMinRestTime{100};

// One helper thread kept for the life of the process: starting a thread per search costs
// more than a small search.
class Helper {
 public:
  static Helper& Get() {
    static Helper* helper = new Helper();  // never destroyed: the thread outlives main
    return *helper;
  }
  /// Runs `job` on the helper thread; Wait() returns once it is done.
  void Start(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = std::move(job);
    done_ = false;
    cv_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return done_; });
  }

 private:
  Helper() {
    std::thread([this] {
      std::unique_lock<std::mutex> lock(mu_);
      while (true) {
        cv_.wait(lock, [&] { return static_cast<bool>(job_); });
        std::function<void()> job = std::move(job_);
        job_ = nullptr;
        lock.unlock();
        job();
        lock.lock();
        done_ = true;
        cv_.notify_all();
      }
    }).detach();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool done_ = true;
};

std::mutex helper_user;  // one search at a time uses the helper; others run alone
}  // namespace

std::vector<SegmentMatchResult> MatchSegments(const std::vector<SegmentContext*>& segments,
                                              const query::LogicalPlan& plan, const SearchLimits* limits,
                                              bool parallel) {
  std::vector<SegmentMatchResult> results(segments.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < segments.size();) {
      if (limits != nullptr && !limits->Check().ok()) return;
      results[i] = MatchSegment(*segments[i], plan, false);
    }
  };
  if (segments.empty()) return results;
  // The first segment tells what a segment costs: waking the helper pays off only when the
  // rest would take longer than the wake-up.
  auto start = std::chrono::steady_clock::now();
  results[next.fetch_add(1)] = MatchSegment(*segments[0], plan, false);
  const bool slow = (std::chrono::steady_clock::now() - start) * (segments.size() - 1) > kParallelMinRestTime;
  std::unique_lock<std::mutex> use(helper_user, std::defer_lock);
  if (parallel && slow && segments.size() >= kParallelMinSegments &&
      std::thread::hardware_concurrency() > 1 && use.try_lock()) {
    Helper& helper = Helper::Get();
    helper.Start(work);
    work();
    helper.Wait();
  } else {
    work();
  }
  return results;
}

}  // namespace cairn::engine
