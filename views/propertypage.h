// What the pages of the properties dock (scenario, node, link) have in common: the header
// with an icon, title and subtitle, section headings and forms with one look, the list of
// validation problems that concern the page, and the merge keys that make the keystrokes
// typed into one field a single undo step (a field's "session" ends when it loses focus).
#pragma once

#include "scenario/diagnostic.h"

#include <QWidget>

#include <functional>
#include <vector>

class QFormLayout;
class QLabel;

namespace ql {

class ScenarioDocument;
class TrialValidator;

class PropertyPage : public QWidget
{
    Q_OBJECT
public:
    PropertyPage(ScenarioDocument *document, TrialValidator *validator, QWidget *parent = nullptr);

    // Shows the document's current values; sends no edit requests.
    virtual void load() = 0;
    void setDiagnostics(const Diagnostics &diagnostics);
    // Starts a new undo step for the next edit (selection changed, field left).
    void endSession() { ++session_; }

protected:
    // Called with the message to show (empty: the value is fine) and the JSON path the
    // validator named, if any.
    using ErrorSink = std::function<void(const QString &message, const QString &path)>;

    QWidget *makeHeader(QLabel **icon, QLabel **title, QLabel **subtitle);
    static QLabel *sectionLabel(const QString &text);
    static QFormLayout *newForm();
    static QLabel *hintLabel();
    QLabel *newProblemsLabel();
    virtual void updateProblems() {}
    // The diagnostics at `prefix` ("nodes[2]") or below it, as a small table.
    QString problemsHtml(const std::string &prefix, int limit) const;
    QString problemsHtml(const std::vector<Diagnostic> &items, int limit) const;

    QString mergeKey(const QString &path) const;
    // A validator message for the field at `fieldPath`: the message alone when it is about
    // that field, else prefixed with the place it is about.
    static QString describe(const Diagnostic &d, const QString &fieldPath);

    ScenarioDocument *document_;
    TrialValidator *validator_;
    Diagnostics diagnostics_;
    int session_ = 0;
    bool loading_ = false; // load() is filling in fields: their signals are not edits
};

// "1 node", "3 nodes" (the program ships no translations, so %n plurals stay English).
QString countText(qsizetype n, const char *one, const char *many);

} // namespace ql
