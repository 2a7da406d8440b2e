// The properties dock: edits what is selected on the canvas. One node: its id and every
// parameter its kind has in the spec (NodePropertiesPage). One link: its binding key, header
// match or probability (LinkPropertiesPage). Nothing: the scenario and its run settings, with
// the problems validation finds (ScenarioPropertiesPage). Several items: a summary.
//
// Every typed value is checked as it is typed, with the loader's own validation on a trial
// copy of the scenario (TrialValidator): a value that would make a new error is shown in red
// with the reason and not applied; a valid one leaves as an edit request (the keystrokes in
// one field carry one merge key, so they become one undo step). The dock never changes the
// document itself; the window turns the requests into undo commands.
#pragma once

#include "scenario/diagnostic.h"
#include "scenario/scenario.h"
#include "scenariodocument.h"

#include <QDockWidget>

class QLabel;

namespace ql {

class LinkPropertiesPage;
class NodePropertiesPage;
class PropertyPage;
class ScenarioPropertiesPage;
class TrialValidator;

class PropertiesDock : public QDockWidget
{
    Q_OBJECT
public:
    enum class Page { Scenario, Node, Link, Multiple };

    explicit PropertiesDock(ScenarioDocument *document, QWidget *parent = nullptr);

    void setSelection(const QStringList &nodeIds, const QList<int> &linkIndexes);
    // The current problems of the scenario (the window validates after every edit).
    void setDiagnostics(const Diagnostics &diagnostics);

    Page page() const { return page_; }
    QString nodeId() const;
    int linkIndex() const;

signals:
    void nodeEditRequested(int index, const ql::Node &node, const QString &mergeKey);
    void nodeRenameRequested(const QString &oldId, const QString &newId);
    void linkEditRequested(int index, const ql::Link &link, const QString &mergeKey);
    void headerEditRequested(const ql::ScenarioHeader &header, const QString &mergeKey);

private:
    QWidget *buildMultiPage();
    void showPage(Page page);
    void refresh();
    // Passes a page's request on; the document's change signal that follows must not reload
    // the page the user is typing into.
    template<typename F>
    void forward(F &&emitter);

    ScenarioDocument *document_;
    TrialValidator *validator_;
    ScenarioPropertiesPage *scenarioPage_;
    NodePropertiesPage *nodePage_;
    LinkPropertiesPage *linkPage_;
    QWidget *multiPage_ = nullptr;
    QLabel *multiTitle_ = nullptr;
    Page page_ = Page::Scenario;
    int selected_ = 0;
    bool applying_ = false;
};

} // namespace ql
