#include "protocol/operations.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace stream::protocol {
namespace {

struct Fault {
  std::string message;
  YAML::Mark mark;
};

[[noreturn]] void Throw(const YAML::Node& at, std::string message) {
  throw Fault{std::move(message), at.Mark()};
}

void Keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& what) {
  if (!map.IsMap()) Throw(map, what + " must be a mapping of keys to values");
  std::set<std::string> seen;
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    if (!seen.insert(key).second) Throw(kv.first, "key '" + key + "' is given twice in " + what);
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Throw(kv.first, "unknown key '" + key + "' in " + what + "; expected " + list);
    }
  }
}

int WholeNumber(const YAML::Node& v, const std::string& what, int min) {
  int n = 0;
  if (!v.IsScalar() || !YAML::convert<int>::decode(v, n) || n < min)
    Throw(v, what + " must be a whole number >= " + std::to_string(min));
  return n;
}

bool IsId(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// co_enrolment:
//   excludes: [other-protocol, ...]
//   washout_days: 28
void CoEnrolment(const YAML::Node& node, const std::string& own_id, Operations& out) {
  Keys(node, {"excludes", "washout_days"}, "co_enrolment");
  int washout = 0;
  if (YAML::Node w = node["washout_days"]) washout = WholeNumber(w, "'washout_days'", 0);
  YAML::Node list = node["excludes"];
  if (!list) Throw(node, "co_enrolment needs 'excludes': the protocols it excludes");
  if (!list.IsSequence()) Throw(list, "'excludes' of co_enrolment must be a list of protocol ids");
  std::set<std::string> seen;
  for (const auto& item : list) {
    if (!item.IsScalar() || !IsId(item.Scalar()))
      Throw(item, "'excludes' lists protocol ids (lower-case letters, digits, '_' or '-')");
    const std::string id = item.Scalar();
    if (id == own_id) Throw(item, "a protocol cannot exclude itself in 'excludes'");
    if (!seen.insert(id).second) Throw(item, "protocol '" + id + "' is listed twice in 'excludes'");
    out.co_enrolment.push_back({id, washout});
  }
}

void AmendmentSection(const YAML::Node& node, Operations& out) {
  Keys(node, {"summary", "reconsent", "consent_form"}, "amendment");
  Amendment a;
  YAML::Node summary = node["summary"];
  if (!summary || !summary.IsScalar() || summary.Scalar().empty())
    Throw(summary ? summary : node, "amendment needs 'summary': what this version changes");
  a.summary = summary.Scalar();
  if (YAML::Node r = node["reconsent"]) {
    if (!r.IsScalar() || !YAML::convert<bool>::decode(r, a.reconsent))
      Throw(r, "'reconsent' of amendment must be true or false");
  }
  if (YAML::Node form = node["consent_form"]) {
    if (!form.IsScalar() || form.Scalar().empty())
      Throw(form, "'consent_form' of amendment is the consent form's version, e.g. \"3.0\"");
    a.consent_form = form.Scalar();
  }
  out.amendment = a;
}

}  // namespace

std::optional<OperationsFault> ParseOperations(const YAML::Node& root, const std::string& own_id,
                                               Operations& out) {
  try {
    if (YAML::Node c = root["co_enrolment"]) CoEnrolment(c, own_id, out);
    if (YAML::Node a = root["amendment"]) AmendmentSection(a, out);
    if (YAML::Node d = root["attestation_valid_days"])
      out.attestation_valid_days = WholeNumber(d, "'attestation_valid_days'", 1);
    return std::nullopt;
  } catch (const Fault& f) {
    return OperationsFault{f.message, f.mark.line + 1, f.mark.column + 1};
  } catch (const YAML::Exception& e) {
    return OperationsFault{e.msg, e.mark.line + 1, e.mark.column + 1};
  }
}

}  // namespace stream::protocol
