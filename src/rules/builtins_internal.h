// Internal: the implementations of the built-in facts and functions of the criteria
// language, by family. The table in builtins.cc binds each to its name, signature and
// wording; not for use outside src/rules.
//
// Contract (every `eval` function): reads only records dated on or before the evaluation
// date (EvalContext::InScope); returns a value of the type the table declares, or an
// unknown of that type after pushing what is missing, in clinicians' words, onto the
// context. Call arguments are in Node::args, already checked by the parser. A `Prepare…`
// function fills Node::say at compile time with the wording its `eval` function reports.
//
// Thread safety: the functions keep no state; the context belongs to one evaluation.
#pragma once

#include <string_view>

#include "core/patient_history.h"
#include "rules/eval_context.h"
#include "rules/program.h"

namespace stream::rules::internal {

// --- genetics, cytogenetics, fusions, ELN 2022 genetic risk (builtins_genetics.cc) -------

void PrepareGeneArg(Node& n);
void PrepareGeneList(Node& n);
void PrepareFusion(Node& n);
RuntimeValue HasVariant(EvalContext& c, const Node& n);
RuntimeValue HasVariantIn(EvalContext& c, const Node& n);
RuntimeValue GeneTested(EvalContext& c, const Node& n);
RuntimeValue GeneResult(EvalContext& c, const Node& n);
RuntimeValue KaryotypeHas(EvalContext& c, const Node& n);
RuntimeValue HasFusion(EvalContext& c, const Node& n);
RuntimeValue Eln2022Risk(EvalContext& c, const Node& n);

// --- the patient's records: demographics, diagnosis, treatment, transplant, performance,
// consent, attestations, adverse events (builtins_patient.cc) -----------------------------

// Whether the treatment line gave `agent` (a lower-case INN).
bool HasAgent(const TreatmentLine& l, std::string_view agent);

void PrepareAgent(Node& n);
void PrepareAttested(Node& n);
RuntimeValue Age(EvalContext& c, const Node& n);
RuntimeValue Sex(EvalContext& c, const Node& n);
RuntimeValue EvaluationDate(EvalContext& c, const Node& n);
RuntimeValue RegisteredOn(EvalContext& c, const Node& n);
RuntimeValue Disease(EvalContext& c, const Node& n);
RuntimeValue DiseaseOrigin(EvalContext& c, const Node& n);
RuntimeValue StatusAtRegistration(EvalContext& c, const Node& n);
RuntimeValue DiagnosisDate(EvalContext& c, const Node& n);
RuntimeValue Who2022Subtype(EvalContext& c, const Node& n);
RuntimeValue Lineage(EvalContext& c, const Node& n);
RuntimeValue PriorLines(EvalContext& c, const Node& n);
RuntimeValue FirstLineStart(EvalContext& c, const Node& n);
RuntimeValue FirstLineEnd(EvalContext& c, const Node& n);
RuntimeValue ExposedTo(EvalContext& c, const Node& n);
RuntimeValue DaysSinceAgent(EvalContext& c, const Node& n);
RuntimeValue HadTransplant(EvalContext& c, const Node& n);
RuntimeValue HadAllogeneicTransplant(EvalContext& c, const Node& n);
RuntimeValue TransplantCount(EvalContext& c, const Node& n);
RuntimeValue TransplantDate(EvalContext& c, const Node& n);
RuntimeValue DonorType(EvalContext& c, const Node& n);
RuntimeValue StemCellSource(EvalContext& c, const Node& n);
RuntimeValue Conditioning(EvalContext& c, const Node& n);
RuntimeValue GraftManipulation(EvalContext& c, const Node& n);
RuntimeValue GvhdProphylaxis(EvalContext& c, const Node& n);
RuntimeValue MaxAcuteGvhdGrade(EvalContext& c, const Node& n);
RuntimeValue HadChronicGvhd(EvalContext& c, const Node& n);
RuntimeValue HadDli(EvalContext& c, const Node& n);
RuntimeValue Ecog(EvalContext& c, const Node& n);
RuntimeValue Karnofsky(EvalContext& c, const Node& n);
RuntimeValue Lansky(EvalContext& c, const Node& n);
RuntimeValue Consented(EvalContext& c, const Node& n);
RuntimeValue Attested(EvalContext& c, const Node& n);
RuntimeValue HadAdverseEvent(EvalContext& c, const Node& n);

// --- the disease course: response, disease state, relapse, death
// (builtins_disease_course.cc) -------------------------------------------------------------

RuntimeValue LatestResponseFact(EvalContext& c, const Node& n);
RuntimeValue LatestResponseDate(EvalContext& c, const Node& n);
RuntimeValue InCr(EvalContext& c, const Node& n);
RuntimeValue MrdNegative(EvalContext& c, const Node& n);
RuntimeValue DiseaseStateFact(EvalContext& c, const Node& n);
RuntimeValue DiseaseStateDate(EvalContext& c, const Node& n);
RuntimeValue InRemission(EvalContext& c, const Node& n);
RuntimeValue RelapsedOrRefractory(EvalContext& c, const Node& n);
RuntimeValue MrdRelapse(EvalContext& c, const Node& n);
RuntimeValue FailedAgent(EvalContext& c, const Node& n);
RuntimeValue RelapseCount(EvalContext& c, const Node& n);
RuntimeValue FirstRelapseDate(EvalContext& c, const Node& n);
RuntimeValue FirstRelapseType(EvalContext& c, const Node& n);
RuntimeValue LastRelapseDate(EvalContext& c, const Node& n);
RuntimeValue LastRelapseType(EvalContext& c, const Node& n);
RuntimeValue Alive(EvalContext& c, const Node& n);

}  // namespace stream::rules::internal
