// The workbench's charts in one widget, each at a readable size: as tabs (one chart at a
// time, the whole area), or as a two-column grid that scrolls when the area is short, with
// "focus" to enlarge one chart until "All charts" brings the grid back. The choice, the tab
// and the focused chart are remembered (QSettings "charts/*": the widget is created by the
// app once, and a layout the user chose should survive a restart like the docks do).
#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

class QButtonGroup;
class QGridLayout;
class QScrollArea;
class QStackedWidget;
class QTabBar;
class QToolButton;

namespace ql {

class ChartWidget;

class ChartsArea : public QWidget
{
    Q_OBJECT
public:
    enum class Mode { Tabs, Grid };

    // Takes `charts` as its children, in their order.
    explicit ChartsArea(const QList<ChartWidget *> &charts, QWidget *parent = nullptr);

    Mode mode() const { return mode_; }
    void setMode(Mode mode);
    // In grid mode the focused chart fills the area; nullptr shows the grid again. In tabs
    // mode focusing a chart selects its tab.
    void focusChart(ChartWidget *chart);
    ChartWidget *focusedChart() const { return focused_; }
    // The chart shown alone (tabs, focus); nullptr in the grid.
    ChartWidget *currentChart() const;
    QTabBar *tabBar() const { return tabs_; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void arrange();
    void fitGridRows();
    void save() const;

    QList<QPointer<ChartWidget>> charts_;
    Mode mode_ = Mode::Tabs;
    QPointer<ChartWidget> focused_;
    QTabBar *tabs_;
    QToolButton *back_;
    QToolButton *focusMenu_;
    QButtonGroup *modes_;
    QStackedWidget *pages_;
    QScrollArea *singleScroll_;
    QStackedWidget *single_;
    QScrollArea *scroll_;
    QGridLayout *grid_;
    bool restoring_ = false;
};

} // namespace ql
