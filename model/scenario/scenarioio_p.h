// Private to model/scenario: what the scenario reader, validator and writer share (and
// model/lesson, which applies a lesson's changes the way the reader reads them). The
// public API is scenarioio.h.
#pragma once

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"
#include "topology/nodekinds.h"

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

class QJsonObject;

namespace ql::detail {

// Limits of the integer settings; the reader and the validator apply the same ones (the
// per-node limits are the node-kind table's: topology/nodekinds.h).
inline constexpr std::int64_t kMaxSeed = std::int64_t(1) << 53; // every seed a JSON number holds exactly
inline constexpr std::int64_t kMaxReplications = 10000;
inline constexpr std::int64_t kMaxErlangK = 1000000;
inline constexpr double kProbabilityTolerance = 1e-9;

// What the reader learned that the validator should not repeat or trip over.
struct ReadContext
{
    std::string file;
    std::string baseDir;
    Diagnostics *diagnostics = nullptr;
    // Paths the reader already reported an error at; the validator stays quiet there and below.
    std::set<std::string> errorPaths;
    // Ids of nodes whose kind could not be read: their links are not checked (their kind
    // is a guess), so one typo gives one error.
    std::set<std::string> brokenIds;
};

// JSON object -> Scenario, reporting syntax-level and type problems and unknown keys.
Scenario readScenario(const QJsonObject &root, ReadContext &ctx);

// The semantic checks; `ctx` (may be null) suppresses repeats of the reader's errors.
void validate(const Scenario &scenario, const std::string &file, const ReadContext *ctx,
              Diagnostics &out);

// Number as it appears in messages: shortest form, "NaN", "inf".
std::string numberText(double d);
// "a" -> "\"a\"" (JSON quoting), for names inside messages.
std::string inQuotes(std::string_view s);
// The closest of `candidates` to `word` if it is near enough to be a likely typo, else "".
std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates);
// "a, b or c".
std::string listOr(const std::vector<std::string> &items);

// The spec's parameters of each distribution, in the order the writer emits them.
std::vector<std::string> distributionParameters(DistKind kind);
std::vector<std::string> distributionNames();

// ---- lessons (docs/scenario-format.md, "Extension: lessons") ------------------------------

// In the file, a lesson change to the run settings names the node "run"; in memory its node
// is empty.
inline constexpr const char *kRunTarget = "run";

// The fields a lesson change may set: the keys of a node of `kind` (not id or kind), or
// those of "run".
const std::vector<std::string> &changeableFields(NodeKind kind);
const std::vector<std::string> &changeableRunFields();

// Reads `change.value` as the reader reads `change.field` and gives the target with that
// field set: a copy of the node into *node, or of the run settings into *run (only the field
// changes). Problems go to `d` at `path` (the change, e.g. "lesson.steps[1].changes[0]"):
// ".node", ".field" or ".value..." below it. Does not check the value's range (validate()
// does that on the scenario it goes into).
bool readChangeValue(const Scenario &s, const LessonChange &change, const std::string &path,
                     const std::string &file, const std::string &baseDir, Node *node,
                     RunSettings *run, Diagnostics &d);

// Applies the changes of `step` to *s in order, validating the scenario after each; every
// error is reported at the change that caused it (paths below `stepPath`). Stops at the
// first error and returns false. `s->lesson` is left as it is.
bool applyStepChanges(const LessonStep &step, const std::string &stepPath,
                      const std::string &file, const std::string &baseDir, Scenario *s,
                      Diagnostics &d);

// The canonical JSON text (one line, as the writer writes it) of a change's value in
// scenario `s`; empty when the value does not read.
std::string canonicalChangeValue(const Scenario &s, const LessonChange &change);

} // namespace ql::detail
