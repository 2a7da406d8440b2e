// What a lesson means to the program: the scenario as it stands at a step (the base with the
// changes of every step up to it applied), and the figures a question asks for, read from
// simulation results and, where a closed form applies, from theory. The Lessons panel, the
// predict-then-run flow and the lesson tests all go through these functions.
#pragma once

#include "scenario/scenario.h"
#include "stats/results.h"

#include <optional>
#include <string>
#include <vector>

namespace ql {

// The scenario at step `index` (0-based): `base` with the changes of steps 0..index applied
// in order. The result keeps the lesson section. On failure returns false and sets `error`
// to a message naming the step, the change and the fix; `out` is then unchanged.
bool scenarioAtStep(const Scenario &base, int index, Scenario *out, std::string *error);

// A question's figure (LessonQuestion::node / ::metric) in results; nullopt when the results
// have no such figure (unknown node or metric).
std::optional<double> resultFigure(const Results &results, const std::string &node,
                                   const std::string &metric);

// The half-width of the 95% interval of that figure, where the results have one (means,
// throughputs, time averages over replications > 1); nullopt for counts, percentiles and
// ratios. Extension of the contract, for the lesson tests and the predict-then-run panel.
std::optional<double> resultFigureCi95(const Results &results, const std::string &node,
                                       const std::string &metric);

// The metrics a question may ask for: end to end with `kind` empty, else of a node of that
// kind (a sink has none). Extension of the contract: the validator and the editor use it.
const std::vector<std::string> &questionMetrics(std::optional<NodeKind> kind);

// The same figure from the closed forms (theory/theory.h) where they apply; nullopt when
// theory does not apply to the scenario or does not give that figure.
std::optional<double> theoryFigure(const Scenario &scenario, const std::string &node,
                                   const std::string &metric);

// A student's guess beside the simulated and theory values, with a sentence saying how
// close it was (the question's explanation says why).
struct AnswerCheck
{
    double guess = 0;
    std::optional<double> simulated;
    std::optional<double> simulatedCi95;  // half-width, with replications > 1
    std::optional<double> theory;
    double relativeError = 0;             // |guess - reference| / |reference|
    bool close = false;                   // within the question's tolerance
    std::string verdict;                  // plain words, e.g. "Close: within 8% of theory."
};

AnswerCheck checkAnswer(const LessonQuestion &question, double guess, const Results &results,
                        const Scenario &scenario);

} // namespace ql
