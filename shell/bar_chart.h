// The terminal drawing of chart and timechart results: one line per row (a time bucket or a
// value of the `over` field), a bar of Unicode blocks whose length is the row's total over
// the series, fitted to the terminal width, and the total at the end. Several series stack
// in the bar, each with its own shade, named in a legend below. Scripts get the plain
// columns of --format csv|json instead. Stateless.
#pragma once

#include <string>
#include <vector>

namespace cairn::shell {

/// `labels[i]` names row i; `values[i][s]` is series s's number in it (NaN when empty);
/// `series` names the series (one for a single aggregation without a by-field).
std::string RenderBarChart(const std::vector<std::string>& labels, const std::vector<std::vector<double>>& values,
                           const std::vector<std::string>& series, size_t width);

}  // namespace cairn::shell
