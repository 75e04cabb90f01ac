#include "storage/status.h"

namespace cairn::storage {

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk:
      return "ok";
    case Code::kNotFound:
      return "not found: " + message_;
    case Code::kCorruption:
      return "corruption: " + message_;
    case Code::kInvalidArgument:
      return "invalid argument: " + message_;
    case Code::kIOError:
      return "I/O error: " + message_;
    case Code::kUnsupported:
      return "unsupported: " + message_;
  }
  return message_;
}

}  // namespace cairn::storage
