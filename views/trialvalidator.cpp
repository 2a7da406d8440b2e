// Validation of trial edits against the current scenario (see trialvalidator.h).
#include "trialvalidator.h"

#include "scenariodocument.h"

#include "scenario/scenarioio.h"

#include <algorithm>

namespace ql {

TrialValidator::TrialValidator(const ScenarioDocument *document, QObject *parent)
    : QObject(parent)
    , document_(document)
{
    // The baseline is computed once per document state, not once per keystroke.
    connect(document, &ScenarioDocument::changed, this, [this] { baseline_.reset(); });
    connect(document, &ScenarioDocument::scenarioReset, this, [this] { baseline_.reset(); });
}

std::optional<Diagnostic> TrialValidator::newError(const Scenario &trial)
{
    if (!baseline_) {
        baseline_.emplace();
        for (const Diagnostic &d : validateScenario(document_->scenario()).errors())
            baseline_->push_back(d.path + "\n" + d.message);
    }
    for (const Diagnostic &d : validateScenario(trial).errors()) {
        const std::string key = d.path + "\n" + d.message;
        if (std::find(baseline_->begin(), baseline_->end(), key) == baseline_->end())
            return d;
    }
    return std::nullopt;
}

} // namespace ql
