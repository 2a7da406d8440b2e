// Simulation and live run of one scenario side by side, as `queuelab-cli compare` prints
// them (model/live/comparison.h): for throughput, latency mean/p50/p95/p99, queue wait and
// length, drops and utilization the simulated mean with its 95% interval, the measured
// value, their relative difference and whether the live value lies inside the interval.
// A banner above the table says what state the live run is in: running, finished, stopped
// early (partial results kept) or failed (the error in full). A plain widget for a dock.
#pragma once

#include "live/comparison.h"
#include "scenario/scenario.h"

#include <QString>
#include <QWidget>

class QLabel;
class QTableWidget;
class QToolButton;

namespace ql {

class ComparisonView : public QWidget
{
    Q_OBJECT
public:
    enum class Status { Empty, Running, Finished, Partial, Failed };
    Q_ENUM(Status)

    explicit ComparisonView(QWidget *parent = nullptr);
    ~ComparisonView() override;

    // A live run started: the table empties until it ends. `title` names the run ("Live on
    // embedded vs. simulation"), `details` the time scale and durations.
    void showRunning(const QString &title, const QString &details);
    // The run ended (fully, or partly: see showProblem); fills the table.
    void showComparison(const Scenario &scenario, const Comparison &comparison, const QString &title,
                        const QString &details);
    // A banner above the table: Partial (stopped early, figures so far kept) or Failed (the
    // error; whatever was measured is kept), or Finished with an informative note.
    void showProblem(Status status, const QString &message);
    void setDetails(const QString &details);
    // Remarks on the run below the table, e.g. the backend's warnings about its own delay.
    void setNotes(const QStringList &notes);
    QStringList notes() const { return notes_; }
    void clear();

    Status status() const { return status_; }
    QString title() const;
    QString details() const;
    QString message() const; // the banner's text ("" when none)
    QTableWidget *table() const { return table_; }
    int rowCount() const;
    // The row's cells as shown: node, metric, simulation ± ci95, live, difference, in CI.
    QStringList rowTexts(int row) const;

signals:
    void exportRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void setStatus(Status status, const QString &message);
    void restyle();
    void fillTable();

    Status status_ = Status::Empty;
    QLabel *title_ = nullptr;
    QLabel *details_ = nullptr;
    QWidget *banner_ = nullptr;
    QLabel *bannerIcon_ = nullptr;
    QLabel *bannerText_ = nullptr;
    QTableWidget *table_ = nullptr;
    QLabel *footnote_ = nullptr;
    QLabel *placeholder_ = nullptr;
    QToolButton *exportButton_ = nullptr;
    bool restyling_ = false;
    Comparison comparison_;
    QStringList notes_;
    QLabel *notesLabel_ = nullptr;
    TimeUnit timeUnit_ = TimeUnit::Seconds;
};

} // namespace ql
