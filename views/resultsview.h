// The Results dock's widget: the statistics of a run as a table, per node and end to end,
// the same rows as `queuelab-cli run` (stats/resultrows.h) in the same number format
// (stats/numberformat.h): mean ± 95% interval, percentiles, the closed-form theory beside
// them and a mark where theory lies outside the interval. Sortable by any column (numbers
// sort as numbers, the value column by its mean), Ctrl+C copies the selected rows (all
// rows when none is selected) as tab-separated text with a header line, and Export asks its
// owner to write the table as CSV (csv()).
//
// The widget shows what it is given and computes nothing: the run coordinator hands it the
// results, the theory and a line that says where the run is ("5 replications, finished in
// 0.4 s", "stopped at precision: ...").
#pragma once

#include "scenario/scenario.h"
#include "stats/resultrows.h"
#include "stats/results.h"
#include "theory/theory.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace ql {

class ResultsView : public QWidget
{
    Q_OBJECT
public:
    enum Column { NodeColumn, KindColumn, MetricColumn, ValueColumn, P50Column, P95Column, P99Column,
                  MaxColumn, TheoryColumn, ColumnCount };

    explicit ResultsView(QWidget *parent = nullptr);

    void setResults(const ql::Scenario &scenario, const ql::Results &results, const ql::TheoryResult &theory);
    void clear();
    // The line above the table: what was run, how long it took, how a precision run ended.
    void setSummary(const QString &text);
    QString summary() const;

    int rowCount() const;
    QTableView *table() const { return table_; }
    // The rows (selected ones, or all when `selectedOnly` is false or nothing is selected)
    // as text as shown, in the table's current order, a header line first.
    QString tabSeparated(bool selectedOnly = true) const;
    // Every row with full-precision numbers, one per column (mean and ci95 apart).
    QString csv() const;
    // Puts tabSeparated() on the clipboard (Ctrl+C in the table).
    void copySelection() const;

signals:
    void exportRequested();

private:
    QString rowsText(bool selectedOnly, QChar separator) const;

    QLabel *summary_;
    QLabel *legend_;
    QPushButton *copyButton_;
    QPushButton *exportButton_;
    QTableView *table_;
    QStandardItemModel *model_;
    QSortFilterProxyModel *proxy_;
};

} // namespace ql
