// The registry's record kinds: lookups over the constant tables of core/registry_kinds.h.
#include <string_view>

#include "core/registry_kinds.h"
#include "core/schema.h"

namespace stream {
namespace {
using registry::kKinds;
using registry::kPatient;
}  // namespace

std::string_view ToString(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return "integer";
    case FieldType::kNumber:
      return "number";
    case FieldType::kText:
      return "text";
    case FieldType::kDate:
      return "date";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kCode:
      return "code";
    case FieldType::kCodeSet:
      return "codes";
  }
  return "text";
}

std::string_view ToString(TextFormat format) {
  switch (format) {
    case TextFormat::kFree:
      return "free";
    case TextFormat::kGeneSymbol:
      return "gene_symbol";
    case TextFormat::kFusion:
      return "fusion";
    case TextFormat::kHgvs:
      return "hgvs";
    case TextFormat::kIscn:
      return "iscn";
    case TextFormat::kMeddraCode:
      return "meddra_code";
    case TextFormat::kCountryCode:
      return "country_code";
    case TextFormat::kItemAnswers:
      return "item_answers";
  }
  return "free";
}

std::string_view ToString(Audience audience) {
  return audience == Audience::kCareTeam ? "care_team" : "every_reader";
}

std::string_view Describe(TextFormat format) {
  switch (format) {
    case TextFormat::kGeneSymbol:
      return "an HGNC gene symbol such as FLT3";
    case TextFormat::kFusion:
      return "a fusion written GENE1::GENE2";
    case TextFormat::kHgvs:
      return "an HGVS expression such as p.Arg132His or c.1799T>A";
    case TextFormat::kIscn:
      return "an ISCN karyotype such as 46,XY[20]";
    case TextFormat::kMeddraCode:
      return "an 8-digit MedDRA code";
    case TextFormat::kCountryCode:
      return "an ISO 3166-1 alpha-2 country code";
    case TextFormat::kItemAnswers:
      return "answers by item number such as 1=2;2=1;3=4";
    case TextFormat::kFree:
      break;
  }
  return "text";
}

std::span<const KindSpec> RecordKinds() { return kKinds; }

const KindSpec* FindKind(std::string_view name) {
  for (const auto& kind : kKinds) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

const KindSpec& PatientKind() { return kPatient; }

}  // namespace stream
