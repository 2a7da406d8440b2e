#include "resultsview.h"

#include "stats/numberformat.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ql {

namespace {

constexpr int SortRole = Qt::UserRole + 1; // numbers as numbers (the raw value, for CSV too)
constexpr int CiRole = Qt::UserRole + 2;
constexpr int OutsideRole = Qt::UserRole + 3;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QStandardItem *textItem(const QString &text, const QVariant &sortKey = {})
{
    auto *item = new QStandardItem(text);
    item->setEditable(false);
    item->setData(sortKey.isValid() ? sortKey : QVariant(text), SortRole);
    return item;
}

QStandardItem *numberItem(const std::optional<double> &v, const QString &text = {})
{
    QStandardItem *item = textItem(v ? (text.isEmpty() ? q(fmt::number(*v)) : text) : QString(),
                                   v ? QVariant(*v) : QVariant(-HUGE_VAL));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ResultsView::ResultsView(QWidget *parent)
    : QWidget(parent)
    , summary_(new QLabel(this))
    , legend_(new QLabel(this))
    , copyButton_(new QPushButton(tr("Copy"), this))
    , exportButton_(new QPushButton(tr("Export CSV..."), this))
    , table_(new QTableView(this))
    , model_(new QStandardItemModel(0, ColumnCount, this))
    , proxy_(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("resultsView"));
    model_->setHorizontalHeaderLabels({tr("Node"), tr("Kind"), tr("Metric"), tr("Mean ± 95% CI"), tr("p50"),
                                       tr("p95"), tr("p99"), tr("Max"), tr("Theory")});
    for (int c : {int(ValueColumn), int(P50Column), int(P95Column), int(P99Column), int(MaxColumn),
                  int(TheoryColumn)})
        model_->horizontalHeaderItem(c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    model_->horizontalHeaderItem(TheoryColumn)->setToolTip(tr("The closed-form result, where queueing theory "
                                                              "applies to the scenario"));
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(SortRole);

    table_->setObjectName(QStringLiteral("resultsTable"));
    table_->setModel(proxy_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder); // the CLI's order until a header is clicked
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setStretchLastSection(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setHighlightSections(false);
    table_->setMinimumSize(200, 60);

    auto *copy = new QAction(tr("&Copy Rows"), table_);
    copy->setObjectName(QStringLiteral("actionCopyResults"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &ResultsView::copySelection);
    table_->addAction(copy);
    auto *copyAll = new QAction(tr("Copy &All Rows"), table_);
    connect(copyAll, &QAction::triggered, this,
            [this] { QApplication::clipboard()->setText(tabSeparated(false)); });
    table_->addAction(copyAll);
    table_->setContextMenuPolicy(Qt::ActionsContextMenu);

    summary_->setObjectName(QStringLiteral("resultsSummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setText(tr("Press Run (F5): the replications run at full speed in the background and "
                         "their statistics appear here in seconds."));
    legend_->setObjectName(QStringLiteral("resultsLegend"));
    legend_->setForegroundRole(QPalette::PlaceholderText);
    legend_->setText(tr("* theory lies outside the 95% interval"));
    legend_->hide();

    copyButton_->setToolTip(tr("Copy the selected rows (all when none is selected) as tab-separated text (Ctrl+C)"));
    exportButton_->setObjectName(QStringLiteral("resultsExportButton"));
    exportButton_->setToolTip(tr("Save the table as a CSV file"));
    connect(copyButton_, &QPushButton::clicked, this, &ResultsView::copySelection);
    connect(exportButton_, &QPushButton::clicked, this, &ResultsView::exportRequested);
    copyButton_->setEnabled(false);
    exportButton_->setEnabled(false);

    auto *bottom = new QHBoxLayout;
    bottom->setContentsMargins(0, 0, 0, 0);
    bottom->addWidget(legend_, 1);
    bottom->addStretch();
    bottom->addWidget(copyButton_);
    bottom->addWidget(exportButton_);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);
    layout->addWidget(summary_);
    layout->addWidget(table_, 1);
    layout->addLayout(bottom);
}

void ResultsView::setResults(const Scenario &scenario, const Results &results, const TheoryResult &theory)
{
    model_->removeRows(0, model_->rowCount());
    bool outside = false;
    int order = 0;
    for (const ResultRow &r : resultRows(scenario, results, theory)) {
        QList<QStandardItem *> items;
        // The node column sorts by id, then the CLI's order within a node.
        items << textItem(q(r.node), QStringLiteral("%1\x1f%2").arg(q(r.node)).arg(order++, 6, 10, QLatin1Char('0')));
        items << textItem(q(r.kind));
        items << textItem(q(r.metric));
        QStandardItem *value = numberItem(r.value, q(r.valueText()));
        if (r.ci95)
            value->setData(*r.ci95, CiRole);
        if (r.ci95)
            value->setToolTip(tr("mean %1, 95% interval %2 to %3")
                                  .arg(q(fmt::number(r.value)), q(fmt::number(r.value - *r.ci95)),
                                       q(fmt::number(r.value + *r.ci95))));
        items << value;
        items << numberItem(r.p50) << numberItem(r.p95) << numberItem(r.p99) << numberItem(r.max);
        const bool off = r.theoryOutsideInterval();
        QStandardItem *th = numberItem(r.theory, r.theory ? q(fmt::number(*r.theory)) + (off ? QStringLiteral(" *") : QString())
                                                          : QString());
        if (off) {
            th->setForeground(QColor(0xd9, 0x6c, 0x00));
            QFont f = th->font();
            f.setBold(true);
            th->setFont(f);
            th->setToolTip(tr("Theory %1 lies outside the 95% interval %2 to %3: a longer run, more replications, "
                              "or an assumption of the closed form that the scenario does not meet.")
                               .arg(q(fmt::number(*r.theory)), q(fmt::number(r.value - *r.ci95)),
                                    q(fmt::number(r.value + *r.ci95))));
        }
        th->setData(off, OutsideRole);
        outside = outside || off;
        items << th;
        model_->appendRow(items);
    }
    legend_->setVisible(outside);
    copyButton_->setEnabled(model_->rowCount() > 0);
    exportButton_->setEnabled(model_->rowCount() > 0);
    table_->setColumnHidden(TheoryColumn, !theory.applicable);
    if (!theory.applicable)
        table_->setToolTip(tr("No theory column: %1").arg(q(theory.reason)));
    else
        table_->setToolTip({});
}

void ResultsView::clear()
{
    model_->removeRows(0, model_->rowCount());
    legend_->hide();
    copyButton_->setEnabled(false);
    exportButton_->setEnabled(false);
}

void ResultsView::setSummary(const QString &text)
{
    summary_->setText(text);
}

QString ResultsView::summary() const
{
    return summary_->text();
}

int ResultsView::rowCount() const
{
    return model_->rowCount();
}

QString ResultsView::rowsText(bool selectedOnly, QChar separator) const
{
    QList<int> rows;
    if (selectedOnly && table_->selectionModel())
        for (const QModelIndex &i : table_->selectionModel()->selectedRows())
            rows << i.row();
    if (rows.isEmpty())
        for (int r = 0; r < proxy_->rowCount(); ++r)
            rows << r;
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        if (!table_->isColumnHidden(c))
            header << model_->horizontalHeaderItem(c)->text();
    lines << header.join(separator);
    for (int r : rows) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            if (!table_->isColumnHidden(c))
                cells << proxy_->index(r, c).data().toString();
        lines << cells.join(separator);
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString ResultsView::tabSeparated(bool selectedOnly) const
{
    return rowsText(selectedOnly, QLatin1Char('\t'));
}

QString ResultsView::csv() const
{
    // Full-precision numbers, one per column, for a spreadsheet; the text as shown is the
    // clipboard's.
    auto number = [](const QVariant &v) {
        return v.isValid() && std::isfinite(v.toDouble()) ? QString::number(v.toDouble(), 'g', 12) : QString();
    };
    auto text = [](QString s) {
        if (s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')))
            s = QLatin1Char('"') + s.replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
        return s;
    };
    QString out = QStringLiteral("node,kind,metric,mean,ci95,p50,p95,p99,max,theory,theory_outside_ci95\n");
    for (int r = 0; r < proxy_->rowCount(); ++r) {
        QStringList cells;
        for (int c : {int(NodeColumn), int(KindColumn), int(MetricColumn)})
            cells << text(proxy_->index(r, c).data().toString());
        const QModelIndex value = proxy_->index(r, ValueColumn);
        cells << number(value.data(SortRole)) << number(value.data(CiRole));
        for (int c : {int(P50Column), int(P95Column), int(P99Column), int(MaxColumn), int(TheoryColumn)}) {
            const QModelIndex i = proxy_->index(r, c);
            cells << (i.data().toString().isEmpty() ? QString() : number(i.data(SortRole)));
        }
        cells << (proxy_->index(r, TheoryColumn).data(OutsideRole).toBool() ? QStringLiteral("1") : QString());
        out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

void ResultsView::copySelection() const
{
    if (model_->rowCount() > 0)
        QApplication::clipboard()->setText(tabSeparated(true));
}

} // namespace ql
