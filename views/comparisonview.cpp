#include "comparisonview.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

enum Column { NodeColumn, MetricColumn, SimulationColumn, LiveColumn, DifferenceColumn, InsideColumn, Columns };

QString number(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    const double a = std::abs(v);
    if (a >= 1000)
        return QString::number(v, 'f', 0);
    if (a != 0 && a < 1e-3)
        return QString::number(v, 'g', 3);
    return QString::number(v, 'g', 4);
}

// An interval's half-width: two significant digits say all it can.
QString halfWidth(double v)
{
    if (!std::isfinite(v))
        return QStringLiteral("-");
    if (std::abs(v) >= 100)
        return QString::number(v, 'f', 0);
    return QString::number(v, 'g', 2);
}

// What users read for a comparison metric, with the unit the numbers are in.
QString metricLabel(const std::string &metric, const QString &unit)
{
    if (metric == "throughput")
        return QObject::tr("throughput (/%1)").arg(unit);
    if (metric == "latency_mean")
        return QObject::tr("latency mean (%1)").arg(unit);
    if (metric == "latency_p50")
        return QObject::tr("latency p50 (%1)").arg(unit);
    if (metric == "latency_p95")
        return QObject::tr("latency p95 (%1)").arg(unit);
    if (metric == "latency_p99")
        return QObject::tr("latency p99 (%1)").arg(unit);
    if (metric == "wait_mean")
        return QObject::tr("wait mean (%1)").arg(unit);
    if (metric == "length_mean")
        return QObject::tr("queue length (mean)");
    if (metric == "drops")
        return QObject::tr("drops");
    if (metric == "utilization")
        return QObject::tr("utilization (%)");
    return QString::fromStdString(metric);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

} // namespace

ComparisonView::ComparisonView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("comparisonView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(6);

    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    auto *titles = new QVBoxLayout;
    titles->setSpacing(1);
    title_ = new QLabel(this);
    title_->setObjectName(QStringLiteral("comparisonTitle"));
    title_->setTextFormat(Qt::PlainText);
    QFont f = title_->font();
    f.setWeight(QFont::DemiBold);
    title_->setFont(f);
    details_ = new QLabel(this);
    details_->setObjectName(QStringLiteral("comparisonDetails"));
    details_->setTextFormat(Qt::PlainText);
    details_->setWordWrap(true);
    details_->setForegroundRole(QPalette::PlaceholderText);
    titles->addWidget(title_);
    titles->addWidget(details_);
    header->addLayout(titles, 1);
    exportButton_ = new QToolButton(this);
    exportButton_->setObjectName(QStringLiteral("comparisonExportButton"));
    exportButton_->setText(tr("Export..."));
    exportButton_->setToolTip(tr("Save the simulation, the live run and this table as one JSON file "
                                 "(the format of queuelab-cli compare --json)"));
    exportButton_->setAutoRaise(true);
    exportButton_->setEnabled(false);
    connect(exportButton_, &QToolButton::clicked, this, &ComparisonView::exportRequested);
    header->addWidget(exportButton_, 0, Qt::AlignTop);
    layout->addLayout(header);

    banner_ = new QWidget(this);
    banner_->setObjectName(QStringLiteral("comparisonBanner"));
    banner_->setAutoFillBackground(true);
    auto *bannerLayout = new QHBoxLayout(banner_);
    bannerLayout->setContentsMargins(8, 6, 8, 6);
    bannerLayout->setSpacing(8);
    bannerIcon_ = new QLabel(banner_);
    bannerText_ = new QLabel(banner_);
    bannerText_->setObjectName(QStringLiteral("comparisonMessage"));
    bannerText_->setTextFormat(Qt::PlainText);
    bannerText_->setWordWrap(true);
    bannerText_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    bannerLayout->addWidget(bannerIcon_, 0, Qt::AlignTop);
    bannerLayout->addWidget(bannerText_, 1);
    banner_->hide();
    layout->addWidget(banner_);

    table_ = new QTableWidget(0, Columns, this);
    table_->setObjectName(QStringLiteral("comparisonTable"));
    table_->setHorizontalHeaderLabels({tr("Node"), tr("Metric"), tr("Simulation ± 95% CI"), tr("Live"),
                                       tr("Difference"), tr("Live in CI")});
    table_->horizontalHeaderItem(SimulationColumn)
        ->setToolTip(tr("Mean over the simulation's replications with the half-width of its 95% "
                        "confidence interval (percentiles: the interval of the per-replication values)"));
    table_->horizontalHeaderItem(DifferenceColumn)->setToolTip(tr("(live - simulation) / simulation"));
    table_->horizontalHeaderItem(InsideColumn)
        ->setToolTip(tr("Whether the live value lies inside the simulation's 95% interval"));
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->setShowGrid(false);
    table_->setWordWrap(false);
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    layout->addWidget(table_, 1);

    placeholder_ = new QLabel(tr("Press Live (F7) to run this scenario as real traffic on a queue backend.\n"
                                 "The measured figures appear here beside the simulation's."),
                              this);
    placeholder_->setObjectName(QStringLiteral("comparisonPlaceholder"));
    placeholder_->setAlignment(Qt::AlignCenter);
    placeholder_->setWordWrap(true);
    placeholder_->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(placeholder_, 1);

    footnote_ = new QLabel(tr("Difference = (live - simulation) / simulation. Live in CI: inside the "
                              "simulation's 95% interval."),
                           this);
    footnote_->setWordWrap(true);
    footnote_->setForegroundRole(QPalette::PlaceholderText);
    QFont small = footnote_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    footnote_->setFont(small);
    layout->addWidget(footnote_);
    notesLabel_ = new QLabel(this);
    notesLabel_->setObjectName(QStringLiteral("comparisonNotes"));
    notesLabel_->setWordWrap(true);
    notesLabel_->setTextFormat(Qt::PlainText);
    notesLabel_->setFont(small);
    notesLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(notesLabel_);
    clear();
}

ComparisonView::~ComparisonView() = default;

void ComparisonView::clear()
{
    title_->setText(tr("Simulation vs. live"));
    details_->clear();
    details_->hide();
    table_->setRowCount(0);
    table_->hide();
    footnote_->hide();
    placeholder_->show();
    exportButton_->setEnabled(false);
    comparison_ = {};
    setNotes({});
    setStatus(Status::Empty, {});
}

void ComparisonView::showRunning(const QString &title, const QString &details)
{
    title_->setText(title);
    setDetails(details);
    table_->setRowCount(0);
    table_->hide();
    footnote_->hide();
    placeholder_->show();
    placeholder_->setText(tr("The live run is in progress: its measured series are drawn solid in the "
                             "charts, the simulated ones dashed.\nThe side-by-side table fills in when "
                             "it ends."));
    exportButton_->setEnabled(false);
    setNotes({});
    setStatus(Status::Running, {});
}

void ComparisonView::setNotes(const QStringList &notes)
{
    notes_ = notes;
    QStringList lines;
    for (const QString &n : notes)
        lines << tr("Note: %1").arg(n);
    notesLabel_->setText(lines.join(QLatin1Char('\n')));
    notesLabel_->setVisible(!notes.isEmpty());
}

void ComparisonView::setDetails(const QString &details)
{
    details_->setText(details);
    details_->setVisible(!details.isEmpty());
}

void ComparisonView::showComparison(const Scenario &scenario, const Comparison &comparison, const QString &title,
                                    const QString &details)
{
    title_->setText(title);
    setDetails(details);
    comparison_ = comparison;
    timeUnit_ = scenario.timeUnit;
    fillTable();
    placeholder_->hide();
    table_->show();
    footnote_->show();
    exportButton_->setEnabled(true);
    setStatus(Status::Finished, {});
}

void ComparisonView::fillTable()
{
    const Comparison &comparison = comparison_;
    const QString unit = QString::fromLatin1(timeUnitName(timeUnit_));
    const bool dark = isDark(palette());
    const QColor good = dark ? QColor(0x5f, 0xd0, 0x8a) : QColor(0x1f, 0x8a, 0x4c);
    const QColor bad = dark ? QColor(0xf0, 0xb0, 0x40) : QColor(0xb3, 0x63, 0x00);

    table_->setRowCount(int(comparison.rows.size()));
    int row = 0;
    std::string previousNode = "\x01";
    for (const ComparisonRow &r : comparison.rows) {
        const double scale = r.metric == "utilization" ? 100.0 : 1.0;
        auto cell = [&](int column, const QString &text, bool numeric) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
            table_->setItem(row, column, item);
            return item;
        };
        // The node is named once for its group of rows, as in a report.
        const QString node = r.node.empty() ? tr("end to end") : QString::fromStdString(r.node);
        QTableWidgetItem *nodeItem = cell(NodeColumn, node, false);
        if (r.node == previousNode)
            nodeItem->setForeground(palette().color(QPalette::PlaceholderText));
        previousNode = r.node;
        cell(MetricColumn, metricLabel(r.metric, unit), false);
        cell(SimulationColumn,
             number(r.simulation * scale) + (r.ci95 ? QStringLiteral(" ± ") + halfWidth(*r.ci95 * scale) : QString()),
             true);
        cell(LiveColumn, r.live ? number(*r.live * scale) : tr("n/a"), true);
        QString diff = tr("n/a");
        if (r.relative)
            diff = QStringLiteral("%1%2 %").arg(*r.relative >= 0 ? QStringLiteral("+") : QString())
                       .arg(*r.relative * 100, 0, 'f', 1);
        cell(DifferenceColumn, diff, true);
        QTableWidgetItem *inside = cell(InsideColumn, r.inside ? (*r.inside ? tr("✓ yes") : tr("✗ no")) : tr("n/a"),
                                        false);
        if (r.inside)
            inside->setForeground(*r.inside ? good : bad);
        else
            inside->setForeground(palette().color(QPalette::PlaceholderText));
        ++row;
    }
}

void ComparisonView::showProblem(Status status, const QString &message)
{
    setStatus(status, message);
}

QString ComparisonView::title() const
{
    return title_->text();
}

QString ComparisonView::details() const
{
    return details_->text();
}

QString ComparisonView::message() const
{
    return banner_->isHidden() ? QString() : bannerText_->text();
}

int ComparisonView::rowCount() const
{
    return table_->rowCount();
}

QStringList ComparisonView::rowTexts(int row) const
{
    QStringList out;
    for (int c = 0; c < Columns; ++c) {
        const QTableWidgetItem *item = table_->item(row, c);
        out << (item ? item->text() : QString());
    }
    return out;
}

void ComparisonView::setStatus(Status status, const QString &message)
{
    status_ = status;
    bannerText_->setText(message);
    banner_->setVisible(!message.isEmpty());
    restyle();
}

void ComparisonView::restyle()
{
    if (restyling_)
        return;
    restyling_ = true;
    // The banner's tint follows the palette: a light wash of the status colour over the
    // window background, so it reads in light and dark themes alike.
    const QPalette base = palette();
    const bool dark = isDark(base);
    QColor tint;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    switch (status_) {
    case Status::Failed:
        tint = dark ? QColor(0xe0, 0x5a, 0x5a) : QColor(0xc6, 0x28, 0x28);
        icon = QStyle::SP_MessageBoxCritical;
        break;
    case Status::Partial:
        tint = dark ? QColor(0xf0, 0xb0, 0x40) : QColor(0xc7, 0x77, 0x00);
        icon = QStyle::SP_MessageBoxWarning;
        break;
    default:
        tint = base.color(QPalette::Highlight);
        break;
    }
    const QColor window = base.color(QPalette::Window);
    const double a = dark ? 0.28 : 0.16;
    const QColor wash = QColor::fromRgbF(tint.redF() * a + window.redF() * (1 - a),
                                         tint.greenF() * a + window.greenF() * (1 - a),
                                         tint.blueF() * a + window.blueF() * (1 - a));
    QPalette p = banner_->palette();
    p.setColor(QPalette::Window, wash);
    p.setColor(QPalette::WindowText, base.color(QPalette::WindowText));
    banner_->setPalette(p);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    bannerIcon_->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(size, size));
    restyling_ = false;
}

void ComparisonView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) {
        restyle();
        if (!table_->isHidden())
            fillTable(); // the yes/no colours are the palette's
    }
}

} // namespace ql
