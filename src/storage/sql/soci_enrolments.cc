// The SQL statements of patients in protocols (core/enrolment_repository.h): enrolments
// and their endings, arm tallies, sequence positions and activated randomisation lists,
// and the attestations sites gave at screening.
#include "storage/sql/sql_transaction.h"

namespace stream::storage {
namespace {

// With the enrolment's ending, when it has one (migration 004).
constexpr const char* kEnrolmentSelect =
    "SELECT id, protocol_id, protocol_version, patient_id, arm, method, stratum, "
    "sequence_position, factor_levels, algorithm_version, idempotency_key, enrolled_at, "
    "enrolled_by, voided, off_study_date, off_study_reason FROM enrolments LEFT JOIN "
    "enrolment_endings ON enrolment_endings.enrolment_id = enrolments.id";

Enrolment ReadEnrolment(const soci::row& r) {
  Enrolment e;
  e.id = RowInt(r, 0);
  e.protocol_id = RowText(r, 1);
  e.protocol_version = RowText(r, 2);
  e.patient_id = RowInt(r, 3);
  e.arm = RowText(r, 4);
  e.method = RowText(r, 5);
  e.stratum = RowText(r, 6);
  e.sequence_position = r.get_indicator(7) == soci::i_null ? 0 : RowInt(r, 7);
  e.factor_levels = RowText(r, 8);
  e.algorithm_version = RowText(r, 9);
  e.idempotency_key = RowText(r, 10);
  e.enrolled_at = RowTimestamp(r, 11);
  e.enrolled_by = RowText(r, 12);
  e.voided = RowBool(r, 13);
  if (r.get_indicator(14) != soci::i_null) e.off_study_date = Date::Parse(RowText(r, 14));
  e.off_study_reason = RowText(r, 15);
  return e;
}

EnrolmentTally ReadTally(const soci::row& r) {
  return {RowText(r, 0), RowText(r, 1), RowText(r, 2), RowInt(r, 3)};
}

RandomisationList ReadRandomisationList(const soci::row& r) {
  return {RowText(r, 0), RowText(r, 1),      RowText(r, 2), RowInt(r, 3),
          RowText(r, 4), RowTimestamp(r, 5), RowText(r, 6)};
}

Attestation ReadAttestation(const soci::row& r) {
  Attestation a;
  a.id = RowInt(r, 0);
  a.patient_id = RowInt(r, 1);
  a.protocol_id = RowText(r, 2);
  a.protocol_version = RowText(r, 3);
  a.criterion = RowText(r, 4);
  a.name = RowText(r, 5);
  a.value = RowBool(r, 6);
  a.attested_on = RowDate(r, 7);
  a.attested_at = RowTimestamp(r, 8);
  a.attested_by = RowText(r, 9);
  a.site = RowText(r, 10);
  return a;
}

}  // namespace

Result<int64_t> SqlTransaction::InsertEnrolment(const Enrolment& e) {
  const std::string at = e.enrolled_at.ToString();
  const long long patient = e.patient_id;
  const long long position = e.sequence_position;
  soci::indicator position_ind = e.sequence_position > 0 ? soci::i_ok : soci::i_null;
  return InsertRow(
      "insert enrolment",
      "INSERT INTO enrolments (protocol_id, protocol_version, patient_id, arm, method, stratum, "
      "sequence_position, factor_levels, algorithm_version, idempotency_key, enrolled_at, "
      "enrolled_by) VALUES (:p, :v, :pt, :a, :m, :s, :q, :f, :al, :k, :at, :by)",
      soci::use(e.protocol_id), soci::use(e.protocol_version), soci::use(patient), soci::use(e.arm),
      soci::use(e.method), soci::use(e.stratum), soci::use(position, position_ind),
      soci::use(e.factor_levels), soci::use(e.algorithm_version), soci::use(e.idempotency_key),
      soci::use(at), soci::use(e.enrolled_by));
}

Result<std::optional<Enrolment>> SqlTransaction::FindEnrolmentByKey(std::string_view key) {
  const std::string k(key);
  return ReadRow("find enrolment", std::string(kEnrolmentSelect) + " WHERE idempotency_key = :k",
                 ReadEnrolment, soci::use(k));
}

Result<std::optional<Enrolment>> SqlTransaction::FindEnrolment(std::string_view protocol_id,
                                                               int64_t patient_id) {
  const std::string p(protocol_id);
  const long long pt = patient_id;
  return ReadRow(
      "find enrolment",
      std::string(kEnrolmentSelect) + " WHERE protocol_id = :k AND patient_id = :pt AND voided = 0",
      ReadEnrolment, soci::use(p), soci::use(pt));
}

Result<std::vector<Enrolment>> SqlTransaction::ListEnrolments(std::string_view protocol_id) {
  const std::string p(protocol_id);
  return ReadRows(
      "list enrolments",
      std::string(kEnrolmentSelect) + " WHERE protocol_id = :p AND voided = 0 ORDER BY id",
      ReadEnrolment, soci::use(p));
}

Result<std::vector<EnrolmentTally>> SqlTransaction::TallyEnrolments(std::string_view protocol_id) {
  const std::string p(protocol_id);
  return ReadRows("count enrolments",
                  "SELECT arm, method, factor_levels, COUNT(*) FROM enrolments WHERE "
                  "protocol_id = :p AND voided = 0 GROUP BY arm, method, factor_levels",
                  ReadTally, soci::use(p));
}

Result<std::vector<Enrolment>> SqlTransaction::ListPatientEnrolments(int64_t patient_id) {
  const long long pt = patient_id;
  return ReadRows(
      "list a patient's enrolments",
      std::string(kEnrolmentSelect) + " WHERE patient_id = :pt AND voided = 0 ORDER BY id",
      ReadEnrolment, soci::use(pt));
}

Status SqlTransaction::InsertEnrolmentEnding(const EnrolmentEnding& x) {
  const long long id = x.enrolment_id;
  const std::string date = x.off_study_date.ToString(), at = x.ended_at.ToString();
  return Execute("end enrolment",
                 "INSERT INTO enrolment_endings (enrolment_id, off_study_date, off_study_reason, "
                 "note, ended_at, ended_by) VALUES (:e, :d, :r, :n, :at, :by)",
                 soci::use(id), soci::use(date), soci::use(x.reason), soci::use(x.note),
                 soci::use(at), soci::use(x.ended_by));
}

Result<int64_t> SqlTransaction::LastSequencePosition(std::string_view protocol_id,
                                                     std::string_view stratum) {
  const std::string p(protocol_id), s(stratum);
  auto last = ReadRow(
      "read sequence position",
      "SELECT MAX(sequence_position) FROM enrolments WHERE protocol_id = :p AND stratum = :s",
      [](const soci::row& r) { return r.get_indicator(0) == soci::i_null ? 0 : RowInt(r, 0); },
      soci::use(p), soci::use(s));
  if (!last.ok()) return last.error();
  return static_cast<int64_t>(last->value_or(0));
}

Result<std::optional<RandomisationList>> SqlTransaction::FindRandomisationList(
    std::string_view protocol_id, std::string_view stratum) {
  const std::string p(protocol_id), s(stratum);
  return ReadRow("read randomisation list",
                 "SELECT protocol_id, stratum, algorithm, list_length, list_hash, activated_at, "
                 "activated_by FROM randomisation_lists WHERE protocol_id = :p AND stratum = :s",
                 ReadRandomisationList, soci::use(p), soci::use(s));
}

Result<int64_t> SqlTransaction::InsertRandomisationList(const RandomisationList& l) {
  const std::string at = l.activated_at.ToString();
  const long long length = l.length;
  return InsertRow("activate randomisation list",
                   "INSERT INTO randomisation_lists (protocol_id, stratum, algorithm, list_length, "
                   "list_hash, activated_at, activated_by) VALUES (:p, :s, :a, :n, :h, :at, :by)",
                   soci::use(l.protocol_id), soci::use(l.stratum), soci::use(l.algorithm),
                   soci::use(length), soci::use(l.list_hash), soci::use(at),
                   soci::use(l.activated_by));
}

Result<int64_t> SqlTransaction::InsertAttestation(const Attestation& a) {
  const long long pt = a.patient_id;
  const int value = a.value ? 1 : 0;
  const std::string on = a.attested_on.ToString(), at = a.attested_at.ToString();
  return InsertRow("insert attestation",
                   "INSERT INTO attestations (patient_id, protocol_id, protocol_version, "
                   "criterion, name, value, attested_on, attested_at, attested_by, site) VALUES "
                   "(:pt, :p, :v, :c, :n, :val, :on, :at, :by, :s)",
                   soci::use(pt), soci::use(a.protocol_id), soci::use(a.protocol_version),
                   soci::use(a.criterion), soci::use(a.name), soci::use(value), soci::use(on),
                   soci::use(at), soci::use(a.attested_by), soci::use(a.site));
}

Result<std::vector<Attestation>> SqlTransaction::ListAttestations(int64_t patient_id) {
  const long long pt = patient_id;
  return ReadRows("list attestations",
                  "SELECT id, patient_id, protocol_id, protocol_version, criterion, name, value, "
                  "attested_on, attested_at, attested_by, site FROM attestations "
                  "WHERE patient_id = :pt ORDER BY id",
                  ReadAttestation, soci::use(pt));
}

}  // namespace stream::storage
