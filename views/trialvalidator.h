// Answers the properties dock's question "would this edit break the scenario?": it runs
// the loader's own validation (validateScenario) on a trial copy and reports the first
// error the current scenario does not already have. Errors that were there before (a
// consumer not yet linked, while the user is still drawing) never block an unrelated edit.
#pragma once

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"

#include <QObject>

#include <optional>
#include <string>
#include <vector>

namespace ql {

class ScenarioDocument;

class TrialValidator : public QObject
{
    Q_OBJECT
public:
    explicit TrialValidator(const ScenarioDocument *document, QObject *parent = nullptr);

    std::optional<Diagnostic> newError(const Scenario &trial);

private:
    const ScenarioDocument *document_;
    std::optional<std::vector<std::string>> baseline_; // error texts of the current scenario
};

} // namespace ql
