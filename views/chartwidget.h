// The common ground of QueueLab's charts: a QCustomPlot styled from the widget's palette
// (light and dark), a title, a legend below the axes, zoom and pan with the mouse (wheel,
// drag; double-click returns to following the run), a hover read-out, and export to PNG and
// PDF. Subclasses say what they draw from the run's snapshots, the theory and the results of
// a replication run. Each chart is a plain QWidget, so it can live in its own dock.
#pragma once

#include "chartdata.h"
#include "chartfigure.h"
#include "charttheme.h"
#include "stats/histogram.h"
#include "theory/theory.h"

#include <QPointer>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QCustomPlot;
class QCPAbstractPlottable;
class QCPItemTracer;
class QCPLayoutGrid;
class QCPItemText;
class QCPTextElement;
class QMouseEvent;

namespace ql {

// A second run drawn under a chart's data on the same axes, lighter and dashed: the
// simulation of the scenario a live run measures, so measured and simulated read side by
// side. The legend then tells the two apart by `dataLabel` and `label`.
struct ChartReference
{
    QString label = QStringLiteral("simulated");     // e.g. "simulated (5 runs)"
    QString dataLabel = QStringLiteral("measured");  // what the chart's own data is now
    TimeSeries series;   // time charts: matched to their lines by node and metric
    Histogram latency;   // the latency distribution chart (pooled over runs)
};

class ChartWidget : public QWidget
{
    Q_OBJECT
public:
    // `name` is file-name friendly ("latency"), `title` what users read.
    ChartWidget(const QString &name, const QString &title, QWidget *parent = nullptr);
    ~ChartWidget() override;

    QString name() const { return name_; }
    QString title() const { return title_; }
    QCustomPlot *plot() const { return plot_; }

    // A new topology (and its closed-form figures, where analyze() found a model): lines,
    // legends and theory references are rebuilt; data is cleared.
    virtual void setScenario(const Scenario &scenario, const TheoryResult &theory) = 0;
    // New statistics of the running replication; a snapshot of another run clears first.
    virtual void addSnapshot(const RunSnapshot &snapshot) = 0;
    // Results over all replications: confidence intervals are drawn where there are some.
    virtual void setResults(const Results &results) = 0;
    // Back to an empty chart for the same scenario (Reset).
    virtual void clearData() = 0;

    // Data points over all data graphs and bars (what tests ask: "did it receive data?").
    int dataCount() const;
    // Data points of the reference run's graphs (see ChartReference).
    int referenceDataCount() const;

    // Draws `reference` under the data until clearReference() or a new scenario; the data
    // itself (clearData, snapshots) is unaffected. The default draws nothing.
    virtual void setReference(const std::shared_ptr<const ChartReference> &reference);
    virtual void clearReference();
    bool hasReference() const { return reference_ != nullptr; }

    // Exports at `size` (PNG: default ExportSize, at twice that resolution) in logical
    // pixels, PDF in points; a PDF without a size is a double-column figure. Files are
    // written atomically; on failure *error names the path and the reason. (Not const: the
    // chart is restyled for the file and back.)
    static constexpr QSize ExportSize{1000, 560};
    bool savePng(const QString &path, QString *error, QSize size = {});
    bool savePdf(const QString &path, QString *error, QSize size = {});
    // A figure for a paper or slide (chartfigure.h): PDF, SVG or PNG by the path's suffix.
    bool exportFigure(const QString &path, const ChartFigure &figure, QString *error);

    // The value axis's title (above the axes, across) and a note at its right ("dashed:
    // theory (M/M/1)").
    void setValueLabel(const QString &label);
    QString valueLabel() const;
    // `shortNote` is shown where the note does not fit ("dashed: theory").
    void setNote(const QString &note, const QString &shortNote = {});
    QString note() const;

    static constexpr QSize MinimumSize{300, 190};
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    // Rescales to the data and resumes following new data (after a zoom or pan).
    void resetView();

signals:
    // "Focus this chart" from its context menu: the layout it lives in may enlarge it.
    void focusRequested();

protected:
    // How a plottable is drawn; restyle() derives its pen and brush from role and colour,
    // so a palette change restyles every chart without subclass code.
    // Reference: a line of the reference run; DataKey/ReferenceKey: data-less legend
    // entries that say which style is measured and which simulated.
    enum class Role { Line, Theory, Band, BandEdge, CiMean, Bars, Marker, Warmup, Reference, DataKey,
                      ReferenceKey, BandKey };
    static void setRole(QCPAbstractPlottable *plottable, Role role, int colour);

    struct Readout
    {
        QPointF at;     // plot coordinates of the point described
        QString text;
        QColor colour;
    };
    // The read-out for the mouse at `pixel`; the default finds the nearest point of a Line
    // graph within 24 pixels.
    virtual std::optional<Readout> readoutAt(const QPointF &pixel) const;
    // Fits the value axis (and the key axis where the subclass wants) to the data.
    virtual void rescale() = 0;

    const ChartTheme &theme() const { return theme_; }
    const ChartReference *reference() const { return reference_.get(); }
    void storeReference(const std::shared_ptr<const ChartReference> &reference) { reference_ = reference; }
    // The two legend keys "—— <dataLabel>" and "- - <label>" (removed when `show` is false).
    void showReferenceKeys(bool show);
    void restyle();
    void restyle(const ChartTheme &theme);
    void requestReplot();
    bool following() const { return following_; }
    void resumeFollowing() { following_ = true; } // a new run: show it whole again
    // Subclasses' own styling after restyle() (items that are not plottables).
    virtual void themeChanged() {}
    QString unit() const { return unit_; }
    void setUnit(const QString &unit) { unit_ = unit; }
    static QString formatNumber(double value);

    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onMouseMove(QMouseEvent *event);
    void showContextMenu(const QPoint &globalPos);
    void hideReadout();
    void updateLegendWrap();
    void fitTicks(QSize size) const;
    void fitHeader(int width) const;
    void prepareExport(QSize size);
    void finishExport();
    bool writePdf(const QString &path, QSize size, QString *error) const;
    bool writeFile(const QString &path, const QByteArray &bytes, QString *error) const;
    int legendColumns(int width) const;

    QString name_;
    QString title_;
    QString unit_ = QStringLiteral("s");
    QCustomPlot *plot_ = nullptr;
    QCPLayoutGrid *header_ = nullptr;
    QCPLayoutGrid *subHeader_ = nullptr;
    mutable bool headerOneRow_ = true;
    QString fullNote_;
    QString shortNote_;
    QCPTextElement *titleElement_ = nullptr;
    QCPTextElement *valueLabel_ = nullptr;
    QCPTextElement *note_ = nullptr;
    QCPItemTracer *tracer_ = nullptr;
    QCPItemText *readout_ = nullptr;
    ChartTheme theme_;
    std::shared_ptr<const ChartReference> reference_;
    QPointer<QCPAbstractPlottable> dataKey_;
    QPointer<QCPAbstractPlottable> referenceKey_;
    bool following_ = true;
    int legendWidth_ = 0;
    int legendItems_ = -1;
    bool replotWhenShown_ = false;
    bool exportTracer_ = false;
};

} // namespace ql
