// The properties page shown when nothing is selected: the scenario's name, description and
// time unit, its run settings (duration, warm-up, seed, replications, max messages, sample
// interval), and every problem validation finds in the scenario.
#pragma once

#include "propertypage.h"
#include "scenariodocument.h"

#include <functional>

class QComboBox;
class QPlainTextEdit;

namespace ql {

class PropertyField;

class ScenarioPropertiesPage : public PropertyPage
{
    Q_OBJECT
public:
    ScenarioPropertiesPage(ScenarioDocument *document, TrialValidator *validator,
                           QWidget *parent = nullptr);
    void load() override;

signals:
    void editRequested(const ql::ScenarioHeader &header, const QString &mergeKey);

protected:
    void updateProblems() override;

private:
    bool tryEdit(const QString &path, const std::function<bool(ScenarioHeader &, QString *)> &mutate,
                 const ErrorSink &error);
    void bindField(PropertyField *field, const QString &path,
                   std::function<bool(ScenarioHeader &, const QString &, QString *)> apply);

    QLabel *title_ = nullptr;
    QLabel *subtitle_ = nullptr;
    PropertyField *name_ = nullptr;
    QPlainTextEdit *description_ = nullptr;
    QComboBox *timeUnit_ = nullptr;
    QFormLayout *runForm_ = nullptr;
    PropertyField *duration_ = nullptr;
    PropertyField *warmup_ = nullptr;
    PropertyField *seed_ = nullptr;
    PropertyField *replications_ = nullptr;
    PropertyField *maxMessages_ = nullptr;
    PropertyField *sampleInterval_ = nullptr;
    QLabel *checks_ = nullptr;
};

} // namespace ql
