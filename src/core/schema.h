// The registry's data model as data: every record kind, its fields, units, code lists
// and code systems. Storage, validation, CSV/JSON mapping and docs/data-model.md are
// all driven by these descriptions, so the model is written down exactly once.
//
// Thread safety: the descriptions are immutable statics.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace stream {

enum class FieldType { kInteger, kNumber, kText, kDate, kBoolean, kCode, kCodeSet };

// The type's name in documents and JSON: integer, number, text, date, boolean, code, codes.
std::string_view ToString(FieldType type);

// How free text must look, beyond being text.
enum class TextFormat {
  kFree,
  kGeneSymbol,   // an HGNC-approved gene symbol: A-Z, 0-9, '-', e.g. FLT3, KMT2A, C10orf54
  kFusion,       // two HGNC symbols joined by '::' as HGNC/ISCN 2020 write it: RUNX1::RUNX1T1
  kHgvs,         // an HGVS expression starting with its sequence prefix: c., p., g., r., m.
  kIscn,         // an ISCN 2020 karyotype string: starts with the chromosome count, e.g. 46,XY
  kMeddraCode,   // an 8-digit MedDRA code
  kCountryCode,  // ISO 3166-1 alpha-2
  kItemAnswers,  // questionnaire answers by item number: 1=2;2=1;30=6 (core/validation.h)
};

// Who may see a field. Every role that reads the registry (on screen or in an export) sees
// kEveryReader fields. kCareTeam fields are quasi-identifiers: harmless alone, but with the
// rest of a record they could point back to the person (the month of birth, a tube's printed
// label). Only those who treat the patient, enter their data, run the registry or verify it
// against the source see them; service/access_policy.h names the roles. For everyone else
// the field is left out of answers, exports and the audit trail, never shown as empty.
enum class Audience { kEveryReader, kCareTeam };

// The audience's name in documents and JSON: every_reader, care_team.
std::string_view ToString(Audience audience);

// The format's name in documents and JSON: free, gene_symbol, fusion, hgvs, iscn,
// meddra_code, country_code, item_answers.
std::string_view ToString(TextFormat format);
// What a value of the format looks like, in the words validation errors use: "an HGNC
// gene symbol such as FLT3" ("text" for free text).
std::string_view Describe(TextFormat format);

struct FieldSpec {
  std::string_view name;  // snake_case; the SQL column and JSON/CSV name
  FieldType type;
  bool required;
  std::string_view unit;                         // "" when unitless
  std::string_view description;                  // what a clinician should enter
  std::string_view code_system;                  // the vocabulary the value comes from
  std::span<const std::string_view> codes = {};  // closed list for kCode / kCodeSet
  std::optional<double> min = std::nullopt;      // inclusive bounds for numbers
  std::optional<double> max = std::nullopt;
  TextFormat format = TextFormat::kFree;
  // kDate: another date field of the same record this one may not precede (an end
  // before its start); "" when none.
  std::string_view not_before = {};
  // The schema migration that added the column: 1 for the first tables; a later one adds
  // it at the end of its table (after `version` and `deleted`).
  int added_in = 1;
  Audience audience = Audience::kEveryReader;
};

// Date rules that relate a record to the rest of the patient's history.
struct DateRules {
  std::string_view date_field;  // the record's clinical date ("" when none)
  bool not_before_diagnosis;    // e.g. a response assessment cannot precede diagnosis
  bool not_after_death;         // e.g. nothing but the death itself after death
};

struct KindSpec {
  std::string_view name;   // record kind as used on the command line: "diagnosis"
  std::string_view table;  // SQL table: "diagnoses"
  std::string_view description;
  std::span<const FieldSpec> fields;
  DateRules dates;
  // The schema migration that created the table: 1–5 were written by hand; from 6 on the
  // table is generated from this entry (storage/sql/schema_ddl.h).
  int added_in = 1;

  // nullptr when the kind has no such field.
  constexpr const FieldSpec* FindField(std::string_view field) const {
    for (const auto& f : fields) {
      if (f.name == field) return &f;
    }
    return nullptr;
  }
  // Index of `field` in `fields`; `fields.size()` when there is none.
  constexpr size_t IndexOf(std::string_view field) const {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].name == field) return i;
    }
    return fields.size();
  }
};

// Every clinical record kind, in the order the docs list them.
std::span<const KindSpec> RecordKinds();
// nullptr when `name` is not a record kind.
const KindSpec* FindKind(std::string_view name);

// The human label of a code of any code list: "cr" → "Complete remission (CR)"; "" for a
// string that is not a code of the data model.
std::string_view CodeLabel(std::string_view code);

// The patient itself (pseudonym, site, sex, birth year and month, registration date).
const KindSpec& PatientKind();

}  // namespace stream
