// Patient-reported outcome instruments from their definition files (instruments/*.yaml,
// docs/instruments.md), and the licensed item wording an operator loads over the
// placeholders. The scoring itself is clinical/pro_instrument.h.
//
// Definition file:
//   id: eortc_qlq_c30          version: "3.0"        name: EORTC QLQ-C30
//   population: adult          (or paediatric)
//   items:  [{numbers: 1-28, answers: 1-4}, {numbers: 29-30, answers: 1-7}]
//   item_names: {1: nausea_frequency, …}        (optional; default q<n>)
//   scales: [{code: PF2, name: …, kind: functional|symptom|global|items, items: [1, …]}]
//   summary: [PF2, RF2, …]                        (optional)
// Wording file: {instrument: eortc_qlq_c30, version: "3.0", items: {1: "…", 2: "…"}}.
//
// Errors: kInvalidArgument with where "<file>:<line>:<column>" naming the key at fault;
// kNotFound for an unreadable file. Thread safety: pure functions (the file readers read).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "clinical/pro_instrument.h"
#include "core/result.h"

namespace stream::protocol {

Result<clinical::ProInstrument> ParseInstrument(std::string_view yaml_text,
                                                std::string_view file_name);
Result<clinical::ProInstrument> LoadInstrumentFile(const std::string& path);
// Every *.yaml of `directory`, sorted by id; ids must be unique. The wording in
// `directory`/wording/<id>.yaml, when present, replaces the placeholders.
Result<std::vector<clinical::ProInstrument>> LoadInstrumentDirectory(const std::string& directory);

// Replaces the placeholders of `instrument` with the wording in `yaml_text`, which must
// name the same instrument and version and only its items. All or nothing.
Status ApplyWording(clinical::ProInstrument& instrument, std::string_view yaml_text,
                    std::string_view file_name);

}  // namespace stream::protocol
