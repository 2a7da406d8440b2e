// Live mode in the real main window, as a user meets it: Live runs the canvas' scenario on
// the embedded broker and fills the charts with measured series over the simulated ones,
// then lays both side by side in the Live Comparison panel; Stop ends it with the figures so
// far kept (partial, exportable with source = backend); an unreachable broker is an error
// in the panel, not a hang; closing the window mid-run returns. Scenarios are in ms (they
// run as written) and last about a second of wall time, or are stopped early. No assertion
// depends on how fast this machine is: waits are QTRY with generous timeouts.
#include "scenariobuilder.h"

#include "animationoverlay.h"
#include "chartspanel.h"
#include "chartwidget.h"
#include "comparisonview.h"
#include "exportfiles.h"
#include "histogramchart.h"
#include "livecoordinator.h"
#include "livesettingsdialog.h"
#include "mainwindow.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "scenariodocument.h"
#include "timeserieschart.h"

#include "live/livesetup.h"
#include "scenario/scenarioio.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <qcustomplot.h>

using namespace ql;
using ql::test::expo;
using ql::test::ScenarioBuilder;

namespace {

constexpr int LongWait = 60000; // ms: a loaded CI machine, never a bound on speed

// M/M/1 at load 0.5 in ms: a message every 2 ms on average, served in 1 ms on average.
Scenario mm1(double durationMs, int replications = 3)
{
    ScenarioBuilder b("live gui m/m/1");
    b.s.timeUnit = TimeUnit::Milliseconds;
    b.run(durationMs, std::min(durationMs / 10, 100.0), replications, 11);
    b.producer("p", expo(2.0)).queue("q").consumer("c", expo(1.0)).link("p", "q").link("q", "c");
    return b.s;
}

QAction *action(MainWindow &w, const char *name)
{
    return w.findChild<QAction *>(QLatin1String(name));
}

} // namespace

class TestLiveGui : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;

    // Opens `scenario` in `window` through a file, as users do.
    bool open(MainWindow &window, const Scenario &scenario, const QString &name)
    {
        const QString path = dir_.filePath(name);
        std::string error;
        if (!saveScenarioFile(scenario, path.toStdString(), &error)) {
            qWarning("%s", error.c_str());
            return false;
        }
        return window.openFile(path);
    }

    static void useEmbedded(LiveCoordinator *live, double durationSeconds = 0)
    {
        LiveSettings s;
        s.backend = QStringLiteral("embedded");
        s.durationSeconds = durationSeconds;
        live->setSettings(s, false);
    }

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(resources);
        QCoreApplication::setOrganizationName(QStringLiteral("QueueLabTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_livegui"));
        QSettings().remove(QStringLiteral("live"));
        QVERIFY(dir_.isValid());
    }

    void cleanupTestCase()
    {
        QSettings().remove(QStringLiteral("live"));
    }

    void liveIsInTheRunMenuToolBarAndShortcuts()
    {
        MainWindow window;
        QAction *live = action(window, "actionLive");
        QAction *stop = action(window, "actionStopLive");
        QVERIFY(live && stop && action(window, "actionLiveSettings"));
        QVERIFY(!live->shortcut().isEmpty());
        QVERIFY(!stop->shortcut().isEmpty());
        QVERIFY(!live->icon().isNull());
        QVERIFY(window.runMenu()->actions().contains(live));
        QVERIFY(window.runMenu()->actions().contains(stop));
        QVERIFY(window.runToolBar()->actions().contains(live));
        QVERIFY(window.runToolBar()->actions().contains(stop));
        QVERIFY(!stop->isEnabled()); // nothing to stop
        // No other action of the window answers the same keys.
        for (QAction *a : window.findChildren<QAction *>()) {
            if (a == live || a == stop)
                continue;
            for (const QKeySequence &k : a->shortcuts()) {
                QVERIFY2(!live->shortcuts().contains(k), qPrintable(a->objectName()));
                QVERIFY2(!stop->shortcuts().contains(k), qPrintable(a->objectName()));
            }
        }
        QDockWidget *dock = window.findChild<QDockWidget *>(QStringLiteral("liveComparisonDock"));
        QVERIFY(dock);
        QMenu *panels = window.findChild<QMenu *>(QStringLiteral("menuPanels"));
        QVERIFY(panels && panels->actions().contains(dock->toggleViewAction()));
    }

    void liveFillsTheChartsWithMeasuredAndSimulatedSeries()
    {
        MainWindow window;
        QVERIFY(open(window, mm1(1200), QStringLiteral("mm1-live.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        LiveCoordinator *live = run->live();
        useEmbedded(live);
        QSignalSpy finished(live, &LiveCoordinator::finished);

        QAction *liveAction = action(window, "actionLive");
        QVERIFY(liveAction->isEnabled());
        liveAction->trigger();
        QVERIFY(live->isRunning());
        QVERIFY(action(window, "actionStopLive")->isEnabled());
        // The simulation's Run waits while a live run has the charts.
        QVERIFY(!action(window, "actionRun")->isEnabled());
        QCOMPARE(live->comparisonView()->status(), ComparisonView::Status::Running);

        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, LongWait);
        QVERIFY(!live->isRunning());
        QVERIFY2(live->lastError().isEmpty(), qPrintable(live->lastError()));

        // Measured (solid) and simulated (dashed) on every time chart and the distribution.
        ChartsPanel *charts = run->charts();
        for (ChartWidget *chart : charts->charts()) {
            // The charts after the first replot a few milliseconds apart (ChartsPanel).
            QTRY_VERIFY2(chart->dataCount() > 0, qPrintable(chart->name()));
            QVERIFY2(chart->referenceDataCount() > 0, qPrintable(chart->name()));
            QVERIFY2(chart->hasReference(), qPrintable(chart->name()));
        }
        // The same axis, the scenario's time: the simulated mean latency spans the whole run
        // (its last sample at the end), the measured one covers the same span (in the same
        // unit: a seconds/milliseconds mix-up would be off by 1000), and the axis shows the
        // run. The live run's last sample is taken when it has stopped, a moment of wall
        // clock after the duration: 5% slack for that.
        {
            const double duration = window.document()->scenario().run.duration;
            QCustomPlot *plot = charts->latencyChart()->plot();
            const QCPGraph *measured = nullptr, *simulated = nullptr;
            for (int i = 0; i < plot->graphCount(); ++i) {
                if (plot->graph(i)->name() == QStringLiteral("mean"))
                    measured = plot->graph(i);
                else if (plot->graph(i)->name().startsWith(QStringLiteral("mean (")))
                    simulated = plot->graph(i);
            }
            QVERIFY(measured && simulated);
            QVERIFY(!measured->data()->isEmpty() && !simulated->data()->isEmpty());
            QCOMPARE((simulated->data()->constEnd() - 1)->key, duration);
            QVERIFY(simulated->data()->constBegin()->key > 0);
            double last = 0;
            for (auto it = measured->data()->constBegin(); it != measured->data()->constEnd(); ++it) {
                QVERIFY2(it->key > last && it->key <= 1.05 * duration, qPrintable(QString::number(it->key)));
                last = it->key;
            }
            QVERIFY2(last >= 0.9 * duration, qPrintable(QString::number(last)));
            QCOMPARE(plot->xAxis->range().lower, 0.0);
            QCOMPARE(plot->xAxis->range().upper, duration);
        }

        // Results in the spec's shape, from the embedded backend.
        const std::optional<Results> r = run->currentResults();
        QVERIFY(r.has_value());
        QCOMPARE(QString::fromStdString(r->source), QStringLiteral("embedded"));
        QVERIFY(!r->partial);
        QVERIFY(r->delivered > 100);

        // The comparison: the same rows as `queuelab-cli compare`.
        ComparisonView *view = live->comparisonView();
        QCOMPARE(view->status(), ComparisonView::Status::Finished);
        QVERIFY(view->rowCount() >= 7); // throughput, 4 latencies, wait, length, utilization
        const QStringList first = view->rowTexts(0);
        QVERIFY2(first.at(1).startsWith(QStringLiteral("throughput")), qPrintable(first.join(QLatin1Char('|'))));
        QVERIFY2(first.at(2).contains(QStringLiteral("±")), qPrintable(first.at(2)));
        QVERIFY2(first.at(3) != QStringLiteral("n/a"), qPrintable(first.at(3)));
        QVERIFY(window.findChild<QDockWidget *>(QStringLiteral("liveComparisonDock"))->isVisible());
        const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(live->comparisonJson())).object();
        QCOMPARE(json.value("format").toString(), QStringLiteral("queuelab-comparison"));
        QCOMPARE(json.value("live").toObject().value("source").toString(), QStringLiteral("embedded"));
        QCOMPARE(json.value("simulation").toObject().value("source").toString(), QStringLiteral("simulation"));

        // A simulation run takes the charts back: no simulated overlay on a simulation.
        QVERIFY(action(window, "actionRun")->isEnabled());
        action(window, "actionStep")->trigger();
        QTRY_VERIFY(!charts->latencyChart()->hasReference());
        QCOMPARE(QString::fromStdString(run->currentResults().value_or(Results{}).source) == "embedded", false);
    }

    // The canvas animates a live run by the simulation's path: the runner's observer calls
    // become frames with every hop, so messages travel the links as tokens (a slow stream:
    // the overlay shows tokens, not flow lines) and the consumer's busy server shows.
    void theCanvasShowsTheLiveMessagesAsTokens()
    {
        ScenarioBuilder b("live tokens");
        b.s.timeUnit = TimeUnit::Milliseconds;
        b.run(3000, 0, 1, 5);
        // A message every 40 ms, each served for 30 ms: a few tokens at a time.
        b.producer("p", ql::test::det(40)).queue("q").consumer("c", ql::test::det(30)).link("p", "q").link("q", "c");
        MainWindow window;
        QVERIFY(open(window, b.s, QStringLiteral("tokens-live.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        LiveCoordinator *live = run->live();
        useEmbedded(live);
        AnimationOverlay *overlay = run->overlay();
        QVERIFY(overlay);
        QSignalSpy finished(live, &LiveCoordinator::finished);
        action(window, "actionLive")->trigger();
        QVERIFY(live->isRunning());
        const int consumer = window.document()->scenario().nodeIndex("c");
        int mostTokens = 0;
        bool sawBusy = false;
        while (finished.isEmpty()) {
            QTest::qWait(20);
            mostTokens = std::max(mostTokens, overlay->tokensScheduled());
            sawBusy |= overlay->busyServers(consumer) == 1;
            QVERIFY(overlay->busyServers(consumer) <= 1);
        }
        QVERIFY2(live->lastError().isEmpty(), qPrintable(live->lastError()));
        QVERIFY2(mostTokens > 0, "no live message was drawn as a token");
        QVERIFY(!overlay->showingFlow());
        QVERIFY(sawBusy);
    }

    void stopKeepsThePartialResultsAndTheyExport()
    {
        MainWindow window;
        QVERIFY(open(window, mm1(60000, 2), QStringLiteral("mm1-long.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        LiveCoordinator *live = run->live();
        useEmbedded(live);
        QSignalSpy finished(live, &LiveCoordinator::finished);
        action(window, "actionLive")->trigger();
        QVERIFY(live->isRunning());
        // Wait for measured data on the charts, then stop.
        QTRY_VERIFY_WITH_TIMEOUT(run->charts()->latencyChart()->dataCount() > 0, LongWait);
        action(window, "actionStopLive")->trigger();
        QVERIFY(!action(window, "actionStopLive")->isEnabled()); // stopping: once is enough
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, LongWait);

        const std::optional<Results> r = run->currentResults();
        QVERIFY(r.has_value());
        QVERIFY(r->partial);
        QCOMPARE(QString::fromStdString(r->source), QStringLiteral("embedded"));
        QVERIFY(r->delivered > 0);
        ComparisonView *view = live->comparisonView();
        QCOMPARE(view->status(), ComparisonView::Status::Partial);
        QVERIFY2(view->message().contains(QStringLiteral("partial")), qPrintable(view->message()));
        QVERIFY(view->rowCount() > 0);
        QVERIFY(live->lastError().isEmpty()); // a stop is not an error

        // File > Export writes the live results: source = the backend, marked partial.
        const QString path = dir_.filePath(QStringLiteral("partial.json"));
        QString error;
        QVERIFY2(exportResultsJson(*r, path, &error), qPrintable(error));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(json.value("source").toString(), QStringLiteral("embedded"));
        QCOMPARE(json.value("partial").toBool(), true);
        QVERIFY(action(window, "actionLive")->isEnabled()); // ready for the next run
    }

    void anUnreachableBrokerIsAClearErrorNotAHang()
    {
        MainWindow window;
        QVERIFY(open(window, mm1(1000, 1), QStringLiteral("mm1-amqp.json")));
        window.show();
        LiveCoordinator *live = window.runCoordinator()->live();
        LiveSettings s;
        s.backend = QStringLiteral("amqp");
        s.uri = QStringLiteral("amqp://guest@127.0.0.1:1/");
        s.password = QStringLiteral("not-this-secret");
        live->setSettings(s, false);
        QSignalSpy finished(live, &LiveCoordinator::finished);
        action(window, "actionLive")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, LongWait);

        QVERIFY(!live->isRunning());
        const QString error = live->lastError();
        QVERIFY2(error.contains(QStringLiteral("127.0.0.1:1")), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("not-this-secret")), qPrintable(error));
        QVERIFY2(!error.contains(QStringLiteral("--uri")), qPrintable(error)); // GUI words, not flags
        ComparisonView *view = live->comparisonView();
        QCOMPARE(view->status(), ComparisonView::Status::Failed);
        QVERIFY2(view->message().contains(QStringLiteral("127.0.0.1:1")), qPrintable(view->message()));
        QVERIFY(!view->message().contains(QStringLiteral("not-this-secret")));
        QVERIFY(!live->results().has_value()); // nothing was measured
        QVERIFY(action(window, "actionLive")->isEnabled());
        QVERIFY(action(window, "actionRun")->isEnabled());
    }

    void closingTheWindowDuringALiveRunReturns()
    {
        auto *window = new MainWindow;
        QVERIFY(open(*window, mm1(60000, 1), QStringLiteral("mm1-close.json")));
        window->show();
        RunCoordinator *run = window->runCoordinator();
        useEmbedded(run->live());
        action(*window, "actionLive")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(run->charts()->latencyChart()->dataCount() > 0, LongWait);
        QVERIFY(run->live()->isRunning());
        QVERIFY(window->close());
        delete window; // stops the live run and joins its threads
    }

    void anEditStopsTheLiveRun()
    {
        MainWindow window;
        QVERIFY(open(window, mm1(60000, 1), QStringLiteral("mm1-edit.json")));
        window.show();
        LiveCoordinator *live = window.runCoordinator()->live();
        useEmbedded(live);
        QSignalSpy finished(live, &LiveCoordinator::finished);
        action(window, "actionLive")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(window.runCoordinator()->charts()->latencyChart()->dataCount() > 0, LongWait);
        window.addNode(NodeKind::Sink, QPointF(600, 300));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, LongWait);
        QCOMPARE(live->comparisonView()->status(), ComparisonView::Status::Partial);
        QVERIFY(!live->showsLiveResults()); // the canvas changed: exports are the simulation's
    }

    void settingsKeepThePasswordOutOfEverythingSaved()
    {
        const Scenario scenario = mm1(1000, 1);
        LiveSettings s;
        s.backend = QStringLiteral("amqp");
        s.uri = QStringLiteral("amqp://alice@broker.example:5673/lab");
        s.password = QStringLiteral("p@ss word");
        const LiveOptions o = s.toOptions();
        QCOMPARE(QString::fromStdString(o.uri), QStringLiteral("amqp://alice:p%40ss%20word@broker.example:5673/lab"));

        LiveSettingsDialog dialog(scenario, s);
        QCOMPARE(dialog.settings(), s);
        // A password typed into the URI field moves to the masked field.
        auto *uri = dialog.findChild<QLineEdit *>(QStringLiteral("liveUri"));
        auto *password = dialog.findChild<QLineEdit *>(QStringLiteral("livePassword"));
        QVERIFY(uri && password);
        QCOMPARE(password->echoMode(), QLineEdit::Password);
        uri->setText(QStringLiteral("amqp://bob:hunter2@127.0.0.1:5672/"));
        emit uri->editingFinished();
        QCOMPARE(uri->text(), QStringLiteral("amqp://bob@127.0.0.1:5672/"));
        QCOMPARE(password->text(), QStringLiteral("hunter2"));

        MainWindow window;
        LiveCoordinator *live = window.runCoordinator()->live();
        live->setSettings(dialog.settings(), true);
        QSettings settings;
        const QString stored = settings.value(QStringLiteral("live/uri")).toString();
        QCOMPARE(stored, QStringLiteral("amqp://bob@127.0.0.1:5672/"));
        for (const QString &key : settings.allKeys())
            QVERIFY2(!settings.value(key).toString().contains(QStringLiteral("hunter2")), qPrintable(key));
        settings.remove(QStringLiteral("live"));
    }

    void uriHelpersSplitAndJoinThePassword_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("bare");
        QTest::newRow("user and password") << "amqp://u:pw@h:1/v" << "pw" << "amqp://u@h:1/v";
        QTest::newRow("user only") << "amqp://u@h/" << "" << "amqp://u@h/";
        QTest::newRow("no user") << "amqp://h:5672/" << "" << "amqp://h:5672/";
        QTest::newRow("encoded at") << "amqps://u:a%40b@h/" << "a%40b" << "amqps://u@h/";
    }

    void uriHelpersSplitAndJoinThePassword()
    {
        QFETCH(QString, uri);
        QFETCH(QString, password);
        QFETCH(QString, bare);
        QCOMPARE(QString::fromStdString(uriPassword(uri.toStdString())), password);
        QCOMPARE(QString::fromStdString(uriWithoutPassword(uri.toStdString())), bare);
        QCOMPARE(QString::fromStdString(uriPassword(uriWithPassword(bare.toStdString(), "x y"))),
                 QStringLiteral("x%20y"));
    }
};

QTEST_MAIN(TestLiveGui)
#include "tst_livegui.moc"
