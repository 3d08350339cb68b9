#include "cli/survival_plot_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace stream::cli {
namespace {

// Okabe & Ito (2008) colour-blind-safe palette, darkest first; dash patterns add a
// second cue for grey-scale printing.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                    "#E69F00", "#56B4E9", "#000000"};
constexpr const char* kDashes[] = {"", "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 2"};
constexpr int kPalette = 7;

constexpr double kTop = 78;  // title and legend above the plot
constexpr double kRight = 30;
constexpr double kPlotHeight = 380;
constexpr double kRiskRowHeight = 20;
constexpr double kRiskLabelGap = 30;  // label end to the y axis
constexpr double kCharWidth = 7.2;    // average glyph width at 12px sans-serif

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s(buf);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string TickLabel(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
  return buf;
}

std::string Num1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double Limit(double limit, double value) { return std::isnan(limit) ? value : limit; }

}  // namespace

std::vector<double> NiceTicks(double max, int target) {
  if (!(max > 0) || !std::isfinite(max)) return {0, 1};
  const double raw = max / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude * 10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  const int count = static_cast<int>(std::ceil(max / step - 1e-9));
  for (int i = 0; i <= count; ++i) ticks.push_back(i * step);
  return ticks;
}

int64_t NumberAtRisk(const PlotCurve& curve, double t) {
  auto it = std::lower_bound(curve.time.begin(), curve.time.end(), t);
  if (it == curve.time.end()) return 0;
  if (it == curve.time.begin()) return curve.n;
  return curve.n_risk[static_cast<size_t>(it - curve.time.begin())];
}

std::string SurvivalPlotSvg(const std::vector<PlotCurve>& curves,
                            const SurvivalPlotOptions& options) {
  size_t longest_label = 14;  // "Number at risk"
  double max_time = 0;
  for (const auto& c : curves) {
    longest_label = std::max(longest_label, c.label.size());
    if (!c.time.empty()) max_time = std::max(max_time, c.time.back());
  }
  const std::vector<double> x_ticks = NiceTicks(max_time, 8);
  const double x_max = x_ticks.back();
  // The risk-table labels sit left of the y axis, clear of the centred counts at t = 0.
  const double left = std::max(90.0, kCharWidth * static_cast<double>(longest_label) + 44);
  const double width = std::max(options.width, 500);
  const double plot_width = width - left - kRight;
  const double plot_bottom = kTop + kPlotHeight;
  const double risk_top = plot_bottom + 62;
  const size_t risk_rows = options.risk_table ? curves.size() : 0;
  const double height =
      (options.risk_table ? risk_top + 26 + kRiskRowHeight * risk_rows : plot_bottom + 60) + 14;

  auto x_of = [&](double t) { return left + plot_width * t / x_max; };
  auto y_of = [&](double v) { return plot_bottom - kPlotHeight * std::clamp(v, 0.0, 1.0); };

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(width) << "\" height=\""
      << Num(height) << "\" viewBox=\"0 0 " << Num(width) << " " << Num(height)
      << "\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\">\n";
  svg << "<title>" << Escape(options.title.empty() ? options.y_label : options.title)
      << "</title>\n";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  if (!options.title.empty()) {
    svg << "<text x=\"" << Num(left) << "\" y=\"24\" font-size=\"16\" font-weight=\"bold\">"
        << Escape(options.title) << "</text>\n";
  }

  // Legend: one swatch per curve, in a row above the plot.
  double legend_x = left;
  for (size_t i = 0; i < curves.size(); ++i) {
    const char* colour = kColours[i % kPalette];
    svg << "<g class=\"legend-item\"><line x1=\"" << Num(legend_x) << "\" y1=\"50\" x2=\""
        << Num(legend_x + 28) << "\" y2=\"50\" stroke=\"" << colour << "\" stroke-width=\"2.5\"";
    if (*kDashes[i % kPalette]) svg << " stroke-dasharray=\"" << kDashes[i % kPalette] << "\"";
    svg << "/><text x=\"" << Num(legend_x + 34) << "\" y=\"54\">" << Escape(curves[i].label)
        << " (n=" << curves[i].n << ")</text></g>\n";
    legend_x += 34 + kCharWidth * static_cast<double>(curves[i].label.size() + 8) + 24;
  }

  // Grid, axes, ticks.
  svg << "<g class=\"grid\" stroke=\"#e5e5e5\" stroke-width=\"1\">\n";
  for (int i = 1; i <= 5; ++i) {
    svg << "<line x1=\"" << Num(left) << "\" y1=\"" << Num(y_of(0.2 * i)) << "\" x2=\""
        << Num(left + plot_width) << "\" y2=\"" << Num(y_of(0.2 * i)) << "\"/>\n";
  }
  svg << "</g>\n<g class=\"axes\" stroke=\"#333333\" stroke-width=\"1\">\n"
      << "<line x1=\"" << Num(left) << "\" y1=\"" << Num(kTop) << "\" x2=\"" << Num(left)
      << "\" y2=\"" << Num(plot_bottom) << "\"/>\n"
      << "<line x1=\"" << Num(left) << "\" y1=\"" << Num(plot_bottom) << "\" x2=\""
      << Num(left + plot_width) << "\" y2=\"" << Num(plot_bottom) << "\"/>\n";
  for (int i = 0; i <= 5; ++i) {
    svg << "<line x1=\"" << Num(left - 5) << "\" y1=\"" << Num(y_of(0.2 * i)) << "\" x2=\""
        << Num(left) << "\" y2=\"" << Num(y_of(0.2 * i)) << "\"/>\n";
  }
  for (double t : x_ticks) {
    svg << "<line x1=\"" << Num(x_of(t)) << "\" y1=\"" << Num(plot_bottom) << "\" x2=\""
        << Num(x_of(t)) << "\" y2=\"" << Num(plot_bottom + 5) << "\"/>\n";
  }
  svg << "</g>\n<g class=\"tick-labels\" fill=\"#333333\">\n";
  for (int i = 0; i <= 5; ++i) {
    svg << "<text x=\"" << Num(left - 8) << "\" y=\"" << Num(y_of(0.2 * i) + 4)
        << "\" text-anchor=\"end\">" << Num1(0.2 * i) << "</text>\n";
  }
  for (double t : x_ticks) {
    svg << "<text x=\"" << Num(x_of(t)) << "\" y=\"" << Num(plot_bottom + 19)
        << "\" text-anchor=\"middle\">" << TickLabel(t) << "</text>\n";
  }
  svg << "</g>\n";
  svg << "<text class=\"x-label\" x=\"" << Num(left + plot_width / 2) << "\" y=\""
      << Num(plot_bottom + 42) << "\" text-anchor=\"middle\" font-size=\"13\">"
      << Escape(options.x_label) << "</text>\n";
  svg << "<text class=\"y-label\" transform=\"translate(" << Num(left - 52) << ","
      << Num(kTop + kPlotHeight / 2) << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">"
      << Escape(options.y_label) << "</text>\n";

  // Confidence bands first, so that every curve is drawn over every band.
  if (options.bands) {
    for (size_t i = 0; i < curves.size(); ++i) {
      const auto& c = curves[i];
      if (c.time.empty()) continue;
      std::ostringstream upper, lower;
      upper << "M" << Num(x_of(0)) << "," << Num(y_of(c.start_value));
      double prev_upper = c.start_value;
      for (size_t j = 0; j < c.time.size(); ++j) {
        const double u = Limit(c.upper[j], c.value[j]);
        upper << "H" << Num(x_of(c.time[j]));
        if (u != prev_upper) upper << "V" << Num(y_of(u));
        prev_upper = u;
      }
      // Back along the lower limit, from the last time to 0.
      std::vector<double> lows(c.time.size());
      for (size_t j = 0; j < c.time.size(); ++j) lows[j] = Limit(c.lower[j], c.value[j]);
      lower << "V" << Num(y_of(lows.back()));
      for (size_t j = c.time.size(); j-- > 0;) {
        lower << "H" << Num(x_of(c.time[j]));
        const double before = j == 0 ? c.start_value : lows[j - 1];
        if (before != lows[j]) lower << "V" << Num(y_of(before));
      }
      lower << "H" << Num(x_of(0)) << "Z";
      svg << "<path class=\"band\" d=\"" << upper.str() << lower.str() << "\" fill=\""
          << kColours[i % kPalette] << "\" fill-opacity=\"0.15\" stroke=\"none\"/>\n";
    }
  }

  // Step curves and censoring ticks.
  for (size_t i = 0; i < curves.size(); ++i) {
    const auto& c = curves[i];
    const char* colour = kColours[i % kPalette];
    std::ostringstream d;
    d << "M" << Num(x_of(0)) << "," << Num(y_of(c.start_value));
    double prev = c.start_value;
    for (size_t j = 0; j < c.time.size(); ++j) {
      d << "H" << Num(x_of(c.time[j]));
      if (c.value[j] != prev) d << "V" << Num(y_of(c.value[j]));
      prev = c.value[j];
    }
    svg << "<path class=\"curve\" data-label=\"" << Escape(c.label) << "\" d=\"" << d.str()
        << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"2.2\" stroke-linejoin=\"miter\"";
    if (*kDashes[i % kPalette]) svg << " stroke-dasharray=\"" << kDashes[i % kPalette] << "\"";
    svg << "/>\n";
    std::ostringstream ticks;
    for (size_t j = 0; j < c.time.size() && j < c.n_censor.size(); ++j) {
      if (c.n_censor[j] == 0) continue;
      ticks << "M" << Num(x_of(c.time[j])) << "," << Num(y_of(c.value[j]) - 5) << "v10";
    }
    if (!ticks.str().empty()) {
      svg << "<path class=\"censor\" d=\"" << ticks.str() << "\" stroke=\"" << colour
          << "\" stroke-width=\"1.5\" fill=\"none\"/>\n";
    }
  }

  // Number at risk under the x axis, aligned with the x ticks.
  if (options.risk_table) {
    svg << "<g class=\"risk-table\">\n<text x=\"" << Num(left - kRiskLabelGap) << "\" y=\""
        << Num(risk_top) << "\" text-anchor=\"end\" font-weight=\"bold\">Number at risk</text>\n";
    for (size_t i = 0; i < curves.size(); ++i) {
      const double y = risk_top + 22 + kRiskRowHeight * static_cast<double>(i);
      svg << "<text x=\"" << Num(left - kRiskLabelGap) << "\" y=\"" << Num(y)
          << "\" text-anchor=\"end\" fill=\"" << kColours[i % kPalette] << "\">"
          << Escape(curves[i].label) << "</text>\n";
      for (double t : x_ticks) {
        svg << "<text class=\"at-risk\" x=\"" << Num(x_of(t)) << "\" y=\"" << Num(y)
            << "\" text-anchor=\"middle\">" << NumberAtRisk(curves[i], t) << "</text>\n";
      }
    }
    svg << "</g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace stream::cli
