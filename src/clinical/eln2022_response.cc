#include "clinical/eln2022_response.h"

#include <array>
#include <cmath>

namespace stream::clinical {
namespace {

std::string Num(double v) {
  // Short, locale-free formatting without I/O headers: integers plainly, else one or two
  // decimals.
  double scaled = std::round(v * 100.0);
  long long whole = static_cast<long long>(scaled) / 100;
  long long frac = static_cast<long long>(std::fabs(scaled)) % 100;
  std::string out = (scaled < 0 && whole == 0 ? "-" : "") + std::to_string(whole);
  if (frac != 0) {
    out += '.';
    out += static_cast<char>('0' + frac / 10);
    if (frac % 10 != 0) out += static_cast<char>('0' + frac % 10);
  }
  return out;
}

ResponseResult Make(ResponseCategory c, std::string reason) {
  ResponseResult r;
  r.category = c;
  r.reason = std::move(reason);
  return r;
}

ResponseResult Undetermined(std::vector<std::string> missing) {
  ResponseResult r;
  r.category = ResponseCategory::kUndetermined;
  r.missing = std::move(missing);
  return r;
}

bool MrdNegative(const ResponseAssessment& a, const ResponseOptions& o) {
  if (a.mrd_status) return *a.mrd_status == "negative";
  return o.mrd_negative_below_percent && a.mrd_value &&
         *a.mrd_value < *o.mrd_negative_below_percent;
}

}  // namespace

std::string_view ToCode(ResponseCategory category) {
  static constexpr std::array<std::string_view, 8> kCodes = {
      "cr", "crh", "cri", "mlfs", "pr", "no_response", "non_evaluable", "undetermined"};
  return kCodes[static_cast<size_t>(category)];
}

std::optional<ResponseCategory> ParseResponseCode(std::string_view code) {
  for (int i = 0; i <= static_cast<int>(ResponseCategory::kNonEvaluable); ++i) {
    auto c = static_cast<ResponseCategory>(i);
    if (ToCode(c) == code) return c;
  }
  return MapEln2017(code);
}

bool IsCompositeCompleteRemission(ResponseCategory c) {
  return c == ResponseCategory::kCr || c == ResponseCategory::kCrh || c == ResponseCategory::kCri;
}

std::optional<ResponseCategory> MapEln2017(std::string_view code) {
  if (code == "cr") return ResponseCategory::kCr;
  if (code == "cri") return ResponseCategory::kCri;
  if (code == "mlfs") return ResponseCategory::kMlfs;
  if (code == "pr") return ResponseCategory::kPr;
  if (code == "stable_disease_eln2017" || code == "progressive_disease_eln2017") {
    return ResponseCategory::kNoResponse;
  }
  return std::nullopt;
}

std::string_view ToEln2017Code(ResponseCategory category) {
  if (category == ResponseCategory::kCrh) return "cri";
  return ToCode(category);
}

ResponseResult ClassifyEln2022Response(const ResponseAssessment& a,
                                       std::optional<double> pretreatment_marrow_blasts,
                                       const ResponseOptions& o) {
  if (!a.marrow_blasts) {
    ResponseResult r = Make(ResponseCategory::kNonEvaluable, "no marrow blasts recorded");
    return r;
  }
  const double mb = *a.marrow_blasts;
  std::vector<std::string> missing;

  // Blood and extramedullary criteria shared by CR, CRh, CRi, MLFS and PR.
  if (a.blood_blasts && *a.blood_blasts > 0) {
    return Make(ResponseCategory::kNoResponse,
                "blasts in peripheral blood (" + Num(*a.blood_blasts) + " %)");
  }
  if (a.extramedullary_disease && *a.extramedullary_disease) {
    return Make(ResponseCategory::kNoResponse, "extramedullary disease present");
  }
  if (!a.blood_blasts) missing.push_back("peripheral-blood blasts not recorded");
  if (!a.extramedullary_disease && !o.unrecorded_emd_is_absent) {
    missing.push_back("extramedullary disease not recorded");
  }

  if (mb >= 5) {
    if (mb > 25) {
      return Make(ResponseCategory::kNoResponse, "marrow blasts " + Num(mb) + " % > 25 %");
    }
    // PR candidate: CR haematology, 5-25 % marrow blasts, >= 50 % fall.
    if (a.anc && *a.anc < o.cr_anc) {
      return Make(ResponseCategory::kNoResponse,
                  "marrow blasts " + Num(mb) + " % and ANC " + Num(*a.anc) + " below CR level");
    }
    if (a.platelets && *a.platelets < o.cr_platelets) {
      return Make(ResponseCategory::kNoResponse, "marrow blasts " + Num(mb) + " % and platelets " +
                                                     Num(*a.platelets) + " below CR level");
    }
    if (pretreatment_marrow_blasts && mb > 0.5 * *pretreatment_marrow_blasts) {
      return Make(ResponseCategory::kNoResponse, "marrow blasts " + Num(mb) +
                                                     " %, less than a 50 % fall from " +
                                                     Num(*pretreatment_marrow_blasts) + " %");
    }
    if (!a.anc) missing.push_back("ANC not recorded");
    if (!a.platelets) missing.push_back("platelets not recorded");
    if (!pretreatment_marrow_blasts) missing.push_back("pre-treatment marrow blasts not given");
    if (!missing.empty()) return Undetermined(std::move(missing));
    return Make(ResponseCategory::kPr, "marrow blasts " + Num(mb) +
                                           " % (5-25 %), fall of >= 50 % from " +
                                           Num(*pretreatment_marrow_blasts) + " %");
  }

  if (!a.anc) missing.push_back("ANC not recorded");
  if (!a.platelets) missing.push_back("platelets not recorded");
  if (!missing.empty()) return Undetermined(std::move(missing));

  const double anc = *a.anc, plt = *a.platelets;
  const std::string counts =
      "marrow blasts " + Num(mb) + " % < 5 %, ANC " + Num(anc) + ", platelets " + Num(plt);
  ResponseResult r;
  const bool anc_full = anc >= o.cr_anc, plt_full = plt >= o.cr_platelets;
  if (anc_full && plt_full) {
    r = Make(ResponseCategory::kCr, counts);
  } else if (o.report_crh && anc >= o.crh_anc && plt >= o.crh_platelets) {
    r = Make(ResponseCategory::kCrh, counts + " (partial recovery)");
  } else if (anc_full || plt_full) {
    r = Make(ResponseCategory::kCri, counts + " (incomplete recovery)");
  } else if (!a.marrow_cellularity) {
    return Undetermined({"marrow cellularity not recorded"});
  } else if (*a.marrow_cellularity < o.mlfs_min_cellularity) {
    return Make(ResponseCategory::kNonEvaluable,
                "aplastic marrow (cellularity " + Num(*a.marrow_cellularity) + " %)");
  } else {
    return Make(ResponseCategory::kMlfs,
                counts + ", cellularity " + Num(*a.marrow_cellularity) + " % (no recovery)");
  }
  r.mrd_negative = MrdNegative(a, o);
  if (r.mrd_negative) r.reason += ", MRD negative";
  return r;
}

}  // namespace stream::clinical
