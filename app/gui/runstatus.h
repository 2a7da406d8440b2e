// Says in the status bar what a run is doing: the animated run's simulated clock, events
// done, events per second, percent of the run and the time left at this speed; the
// background replications' percent and time left; then "Finished in 1.8 s" or "Stopped".
// It reads the RunController's signals and writes two permanent labels and a progress bar;
// it decides nothing about running.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QLabel;
class QProgressBar;
class QStatusBar;

namespace ql {

class RunController;
struct RunSnapshot;

class RunStatus : public QObject
{
    Q_OBJECT
public:
    RunStatus(RunController *controller, QStatusBar *bar, QObject *parent = nullptr);

    // "t = 1,234 of 100,000 s (1.2%) · 2,345 events · 1.2k events/s · 2 h 45 min left"
    QString clockText() const;
    // "5 replications: 62%, about 1 s left", "Finished in 1.8 s", "Stopped"
    QString replicationText() const;

private:
    void onSnapshot(const ql::RunSnapshot &snapshot);
    void onReplicationProgress(double fraction);
    void onReplicationsFinished(bool cancelled);
    void updateClock();

    RunController *controller_;
    QPointer<QStatusBar> bar_;
    QLabel *clock_;
    QLabel *replications_;
    QProgressBar *progress_;
    int planned_ = 0;
    // events per second over the last snapshots
    QElapsedTimer wall_;
    qint64 rateFromMs_ = 0;
    quint64 rateFromEvents_ = 0;
    double eventsPerSecond_ = 0;
    quint64 events_ = 0;
};

} // namespace ql
