// The properties page of one link, which is a different thing by the kinds it joins:
// a publish (producer ->), a binding (exchange -> queue: binding key, or header match and
// arguments for a headers exchange), a subscription (queue -> consumer) or an onward link
// (consumer ->: the probability a served message takes it).
#pragma once

#include "propertypage.h"

#include "scenario/scenario.h"

#include <functional>

class QComboBox;

namespace ql {

class KeyValueEditor;
class PropertyField;

class LinkPropertiesPage : public PropertyPage
{
    Q_OBJECT
public:
    LinkPropertiesPage(ScenarioDocument *document, TrialValidator *validator, QWidget *parent = nullptr);

    void setLinkIndex(int index);
    int linkIndex() const { return index_; }
    void load() override;

signals:
    void editRequested(int index, const ql::Link &link, const QString &mergeKey);

protected:
    void updateProblems() override;

private:
    bool tryEdit(const QString &path, const std::function<bool(Link &, QString *)> &mutate,
                 const ErrorSink &error);

    int index_ = -1;
    QFormLayout *form_ = nullptr;
    QLabel *title_ = nullptr;
    QLabel *subtitle_ = nullptr;
    QLabel *problems_ = nullptr;
    QLabel *hint_ = nullptr;
    PropertyField *bindingKey_ = nullptr;
    QComboBox *match_ = nullptr;
    KeyValueEditor *arguments_ = nullptr;
    PropertyField *probability_ = nullptr;
};

} // namespace ql
