// Tabs or a grid of charts (see chartsarea.h).
#include "chartsarea.h"

#include "chartwidget.h"

#include <QButtonGroup>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QMenu>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QTabBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace ql {

namespace {

const QString LayoutKey = QStringLiteral("charts/layout");
const QString TabKey = QStringLiteral("charts/tab");
const QString FocusKey = QStringLiteral("charts/focus");

QToolButton *barButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

} // namespace

ChartsArea::ChartsArea(const QList<ChartWidget *> &charts, QWidget *parent)
    : QWidget(parent)
    , tabs_(new QTabBar(this))
    , back_(barButton(tr("\u25c2 All charts"), tr("Back to the grid of all charts"), this))
    , focusMenu_(barButton(tr("Focus"), tr("Enlarge one chart to the whole area"), this))
    , modes_(new QButtonGroup(this))
    , pages_(new QStackedWidget(this))
    , singleScroll_(new QScrollArea(pages_))
    , single_(new QStackedWidget)
    , scroll_(new QScrollArea(pages_))
    , grid_(nullptr)
{
    setObjectName(QStringLiteral("chartsArea"));
    for (ChartWidget *c : charts) {
        charts_.push_back(c);
        c->hide();
        c->setParent(single_); // until arrange() places it
    }

    tabs_->setObjectName(QStringLiteral("chartTabs"));
    tabs_->setDocumentMode(true);
    tabs_->setExpanding(false);
    tabs_->setDrawBase(false);
    for (ChartWidget *c : charts)
        tabs_->addTab(c->title());
    back_->setObjectName(QStringLiteral("chartsBack"));
    focusMenu_->setObjectName(QStringLiteral("chartsFocus"));
    focusMenu_->setPopupMode(QToolButton::InstantPopup);
    auto *menu = new QMenu(focusMenu_);
    for (ChartWidget *c : charts)
        menu->addAction(c->title(), this, [this, c] { focusChart(c); });
    focusMenu_->setMenu(menu);
    QToolButton *tabsButton = barButton(tr("Tabs"), tr("One chart at a time, each with the whole area"), this);
    QToolButton *gridButton = barButton(tr("Grid"), tr("All charts in two columns"), this);
    tabsButton->setObjectName(QStringLiteral("chartsTabsMode"));
    gridButton->setObjectName(QStringLiteral("chartsGridMode"));
    for (QToolButton *b : {tabsButton, gridButton})
        b->setCheckable(true);
    modes_->addButton(tabsButton, int(Mode::Tabs));
    modes_->addButton(gridButton, int(Mode::Grid));
    modes_->setExclusive(true);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(4, 0, 4, 0);
    bar->setSpacing(2);
    bar->addWidget(back_);
    bar->addWidget(tabs_);
    bar->addStretch(1);
    bar->addWidget(focusMenu_);
    bar->addSpacing(8);
    bar->addWidget(tabsButton);
    bar->addWidget(gridButton);

    auto *gridWidget = new QWidget;
    gridWidget->setObjectName(QStringLiteral("chartsGrid"));
    grid_ = new QGridLayout(gridWidget);
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(6);
    scroll_->setWidget(gridWidget);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // The chart on show scrolls, rather than squeezing its legend, where the area is
    // shorter than the chart's minimum (a legend of many rows).
    singleScroll_->setWidget(single_);
    singleScroll_->setWidgetResizable(true);
    singleScroll_->setFrameShape(QFrame::NoFrame);
    pages_->addWidget(singleScroll_);
    pages_->addWidget(scroll_);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(pages_, 1);

    for (ChartWidget *c : charts)
        connect(c, &ChartWidget::focusRequested, this, [this, c] { focusChart(c); });
    connect(tabs_, &QTabBar::currentChanged, this, [this] {
        if (!restoring_) {
            arrange();
            save();
        }
    });
    connect(modes_, &QButtonGroup::idClicked, this, [this](int id) { setMode(Mode(id)); });
    connect(back_, &QToolButton::clicked, this, [this] { focusChart(nullptr); });

    // What the user chose last time.
    restoring_ = true;
    const QSettings settings;
    mode_ = settings.value(LayoutKey).toString() == QLatin1String("grid") ? Mode::Grid : Mode::Tabs;
    tabs_->setCurrentIndex(std::clamp(settings.value(TabKey, 0).toInt(), 0, std::max(0, int(charts.size()) - 1)));
    const QString focus = settings.value(FocusKey).toString();
    for (ChartWidget *c : charts)
        if (mode_ == Mode::Grid && c->name() == focus)
            focused_ = c;
    restoring_ = false;
    arrange();
}

ChartWidget *ChartsArea::currentChart() const
{
    if (mode_ == Mode::Grid)
        return focused_;
    const int i = tabs_->currentIndex();
    return i >= 0 && i < charts_.size() ? charts_[i].data() : nullptr;
}

void ChartsArea::setMode(Mode mode)
{
    if (mode == Mode::Tabs && focused_) // the focused chart becomes the open tab
        tabs_->setCurrentIndex(int(charts_.indexOf(focused_)));
    mode_ = mode;
    focused_ = nullptr;
    arrange();
    save();
}

void ChartsArea::focusChart(ChartWidget *chart)
{
    if (mode_ == Mode::Tabs) {
        if (chart)
            tabs_->setCurrentIndex(int(charts_.indexOf(chart)));
        return;
    }
    focused_ = chart;
    arrange();
    save();
}

void ChartsArea::arrange()
{
    modes_->button(int(mode_))->setChecked(true);
    const bool alone = mode_ == Mode::Tabs || focused_;
    tabs_->setVisible(mode_ == Mode::Tabs);
    back_->setVisible(mode_ == Mode::Grid && focused_);
    focusMenu_->setVisible(mode_ == Mode::Grid && !focused_);
    ChartWidget *shown = currentChart();
    if (alone) {
        // Only the chart on show lives in the single page; the others wait in the grid's
        // page, hidden, where they keep their data.
        for (const QPointer<ChartWidget> &c : charts_) {
            if (!c)
                continue;
            if (c == shown) {
                if (single_->indexOf(c) < 0)
                    single_->addWidget(c);
                single_->setCurrentWidget(c);
            } else if (single_->indexOf(c) >= 0) {
                single_->removeWidget(c);
                c->hide();
            }
        }
        pages_->setCurrentWidget(singleScroll_);
        return;
    }
    for (int i = 0; i < charts_.size(); ++i) {
        ChartWidget *c = charts_[i];
        if (!c)
            continue;
        if (single_->indexOf(c) >= 0)
            single_->removeWidget(c);
        if (grid_->indexOf(c) < 0)
            grid_->addWidget(c, i / 2, i % 2);
        c->show();
    }
    for (int col = 0; col < 2; ++col)
        grid_->setColumnStretch(col, 1);
    pages_->setCurrentWidget(scroll_);
    fitGridRows();
}

void ChartsArea::fitGridRows()
{
    // Two rows of the grid fill the area where it is tall enough; otherwise each row keeps
    // a readable height and the grid scrolls.
    const int rowHeight = std::max(ChartWidget::MinimumSize.height() + 20,
                                   (scroll_->viewport()->height() - grid_->spacing()) / 2);
    // A row minimum, not the charts' own: a chart whose legend needs more (its minimum
    // size hint) still gets it, and the grid scrolls.
    for (int row = 0; row < (int(charts_.size()) + 1) / 2; ++row)
        grid_->setRowMinimumHeight(row, rowHeight);
}

void ChartsArea::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    if (mode_ == Mode::Grid && !focused_)
        fitGridRows();
}

void ChartsArea::save() const
{
    if (restoring_)
        return;
    QSettings settings;
    settings.setValue(LayoutKey, mode_ == Mode::Grid ? QStringLiteral("grid") : QStringLiteral("tabs"));
    settings.setValue(TabKey, tabs_->currentIndex());
    settings.setValue(FocusKey, focused_ ? focused_->name() : QString());
}

} // namespace ql
