// Storage reports errors with cairn's one error model (include/cairn/status.h): Status and
// Result<T>, codes never recognised by their text.
#pragma once

#include "cairn/status.h"

namespace cairn::storage {

using cairn::Result;
using cairn::Status;

}  // namespace cairn::storage
