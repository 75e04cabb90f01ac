// Status and Result<T>: the one error model of cairn, from storage to the public API.
//
// A Status is OK or carries a code and a message naming what failed (a file and an offset,
// an option and its value, a query with a caret under the problem). Callers act on the
// code, never on the message's text. A query error also holds the span of query text it is
// about. Result<T> holds a value or a non-OK Status. Neither throws; both are plain values,
// safe to copy between threads. This header depends on nothing else of cairn.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace cairn {

class Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,  ///< a bad option value or API argument
    kQueryError,       ///< the query does not parse or bind; span() says where
    kNotFound,
    kCorruption,       ///< stored data fails its checks
    kIOError,
    kUnsupported,
    kCancelled,        ///< the caller asked the work to stop
    kLimitReached,     ///< a stated limit (depth, size, memory, rows) was reached
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  /// `rendered`: the message as shown (the query with a caret); [begin, end): the span.
  static Status QueryError(std::string rendered, uint32_t begin, uint32_t end) {
    Status s(Code::kQueryError, std::move(rendered));
    s.span_begin_ = begin;
    s.span_end_ = end;
    return s;
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status Cancelled() { return Status(Code::kCancelled, "cancelled"); }
  static Status LimitReached(std::string msg) { return Status(Code::kLimitReached, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsCancelled() const { return code_ == Code::kCancelled; }
  /// True for errors of the caller's making (a query or an argument), which the command
  /// line reports with exit status 2.
  bool IsUsageError() const { return code_ == Code::kInvalidArgument || code_ == Code::kQueryError; }
  const std::string& message() const { return message_; }
  /// kQueryError: the byte range of the query the error is about.
  uint32_t span_begin() const { return span_begin_; }
  uint32_t span_end() const { return span_end_; }
  /// "corruption: <message>" and the like; a query error is its message as rendered.
  std::string ToString() const {
    switch (code_) {
      case Code::kOk: return "ok";
      case Code::kInvalidArgument: return "invalid argument: " + message_;
      case Code::kQueryError: return message_;
      case Code::kNotFound: return "not found: " + message_;
      case Code::kCorruption: return "corruption: " + message_;
      case Code::kIOError: return "I/O error: " + message_;
      case Code::kUnsupported: return "unsupported: " + message_;
      case Code::kCancelled: return "cancelled";
      case Code::kLimitReached: return "limit reached: " + message_;
    }
    return message_;
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
  uint32_t span_begin_ = 0, span_end_ = 0;
};

/// A value of type T, or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}
  Result(Status status) : data_(std::move(status)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  T&& take() { return std::move(std::get<T>(data_)); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace cairn
