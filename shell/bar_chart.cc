#include "shell/bar_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "shell/output_format.h"

namespace cairn::shell {

namespace {
// Eighths of a block, for the end of a one-series bar.
const char* const kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
// The shades of stacked series, in series order (then repeating).
const char* const kShades[] = {"█", "▓", "▒", "░", "▚", "▞", "▙", "▟"};
constexpr size_t kMinBarWidth = 10;

std::string FormatValue(double v) {
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string Repeat(const char* s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}
}  // namespace

std::string RenderBarChart(const std::vector<std::string>& labels, const std::vector<std::vector<double>>& values,
                           const std::vector<std::string>& series, size_t width) {
  if (labels.empty() || series.empty()) return "";
  std::vector<double> totals(labels.size(), 0);
  double max_total = 0;
  size_t label_width = 0, value_width = 0;
  for (size_t r = 0; r < labels.size(); ++r) {
    for (double v : values[r])
      if (!std::isnan(v) && v > 0) totals[r] += v;
    max_total = std::max(max_total, totals[r]);
    label_width = std::max(label_width, DisplayWidth(labels[r]));
    value_width = std::max(value_width, FormatValue(totals[r]).size());
  }
  label_width = std::min(label_width, width / 3);
  size_t bar_width = width > label_width + value_width + 3 ? width - label_width - value_width - 3 : 0;
  bar_width = std::max(bar_width, kMinBarWidth);
  std::string out;
  for (size_t r = 0; r < labels.size(); ++r) {
    std::string label = FitCell(labels[r], label_width);
    out += label + std::string(label_width - DisplayWidth(label), ' ') + " ";
    size_t drawn = 0;
    if (max_total > 0 && series.size() == 1) {
      double cells = totals[r] / max_total * static_cast<double>(bar_width);
      size_t eighths = static_cast<size_t>(std::lround(cells * 8));
      out += Repeat("█", eighths / 8) + kEighths[eighths % 8];
      drawn = eighths / 8 + (eighths % 8 ? 1 : 0);
    } else if (max_total > 0) {
      double cumulative = 0;
      for (size_t s = 0; s < series.size(); ++s) {
        double v = values[r][s];
        if (std::isnan(v) || v <= 0) continue;
        cumulative += v;
        size_t end = static_cast<size_t>(std::lround(cumulative / max_total * static_cast<double>(bar_width)));
        if (end > drawn) {
          out += Repeat(kShades[s % std::size(kShades)], end - drawn);
          drawn = end;
        }
      }
    }
    out += std::string(bar_width - std::min(drawn, bar_width), ' ') + " " + FormatValue(totals[r]) + "\n";
  }
  if (series.size() > 1) {
    std::string legend;
    for (size_t s = 0; s < series.size(); ++s) legend += std::string(s ? "  " : "") + kShades[s % std::size(kShades)] + " " + series[s];
    out += legend + "\n";
  }
  return out;
}

}  // namespace cairn::shell
