// An answer first, on a laptop: Run fills the Results dock in seconds (all replications in
// the background while the canvas animates), the status bar says what happened, the table
// copies, the window fits 1366x768, and `queuelab --help` needs no display.
#include "chartspanel.h"
#include "chartwidget.h"
#include "lessoncoordinator.h"
#include "mainwindow.h"
#include "presenterwindow.h"
#include "resultsview.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "runstatus.h"
#include "scenariodocument.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTest>

using namespace ql;

class TestResultsDock : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(resources);
        QCoreApplication::setOrganizationName(QStringLiteral("QueueLabTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_resultsdock"));
    }

    void windowFitsALaptopScreen()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        window.resize(1366, 768);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // A laptop's screen holds the frame too: the window is asked for what is left.
        const QRect frame = window.frameGeometry(), inner = window.geometry();
        const QSize decoration(frame.width() - inner.width(), frame.height() - inner.height());
        window.resize(QSize(1366, 768) - decoration);
        window.move(0, 0);
        QTest::qWait(50);
        for (QDockWidget *d : window.dockWidgets())
            if (d->isVisible())
                qInfo("%s min %d x %d", qPrintable(d->objectName()), d->minimumSizeHint().width(),
                      d->minimumSizeHint().height());
        qInfo("window %d x %d (frame %d x %d), minimum %d x %d", window.width(), window.height(),
              window.frameGeometry().width(), window.frameGeometry().height(), window.minimumSizeHint().width(),
              window.minimumSizeHint().height());
        QCOMPARE(window.size(), QSize(1366, 768) - decoration); // not forced taller
        QVERIFY2(window.frameGeometry().height() <= 768,
                 qPrintable(QStringLiteral("%1 high").arg(window.frameGeometry().height())));
        QVERIFY(window.frameGeometry().width() <= 1366);
        const QRect screen(QPoint(0, 0), QSize(1366, 768));
        for (QDockWidget *d : window.dockWidgets()) {
            if (!d->isVisible() || d->isFloating() || d->visibleRegion().isEmpty())
                continue; // closed, or a tab behind another
            const QRect r(d->mapTo(&window, QPoint(0, 0)) + window.geometry().topLeft(), d->size());
            QVERIFY2(d->height() >= d->minimumSizeHint().height(), qPrintable(d->objectName()));
            QVERIFY2(screen.contains(r), qPrintable(d->objectName()));
        }
        QVERIFY(window.statusBar()->isVisible());
        QVERIFY(window.statusBar()->mapTo(&window, QPoint(0, window.statusBar()->height())).y() <= 768);
    }

    void runFillsTheResultsDockWithinSeconds()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        ResultsView *view = run->resultsView();
        QVERIFY(view && run->resultsDock() && run->resultsDock()->isVisible());
        QCOMPARE(view->rowCount(), 0);
        QElapsedTimer clock;
        clock.start();
        window.runAction()->trigger();
        // The animation crawls at 10 s/s through 100,000 s; the table must not wait for it.
        QTRY_VERIFY_WITH_TIMEOUT(view->rowCount() > 0, 30000);
        const qint64 ms = clock.elapsed();
        if (qEnvironmentVariableIsSet("QL_TIMING"))
            QVERIFY2(ms < 10000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        qInfo("Results dock filled after %lld ms", ms);
        QCOMPARE(run->controller()->state(), RunController::State::Running);
        QVERIFY(run->controller()->hasReplicatedResults());
        QCOMPARE(run->controller()->results()->replications, window.document()->scenario().run.replications);

        // A row for every node that reports, end to end too, with hello's M/M/1 theory.
        const QString all = view->tabSeparated(false);
        for (const char *node : {"send", "hello", "receive", "end-to-end"})
            QVERIFY2(all.contains(QLatin1String("\n") + QLatin1String(node) + QLatin1Char('\t')), node);
        QTableView *table = view->table();
        QVERIFY(!table->isColumnHidden(ResultsView::TheoryColumn));
        int withTheory = 0;
        for (int r = 0; r < table->model()->rowCount(); ++r)
            withTheory += !table->model()->index(r, ResultsView::TheoryColumn).data().toString().isEmpty();
        QVERIFY2(withTheory >= 5, qPrintable(all));
        QVERIFY(view->summary().contains(QStringLiteral("5 replications")));
        QVERIFY(view->summary().contains(QStringLiteral("M/M/1")));

        // The charts show the whole run too (replication 1's series, the latency histogram),
        // not the animation's first seconds.
        for (ChartWidget *chart : run->charts()->charts())
            QTRY_VERIFY2(chart->dataCount() >= 20,
                         qPrintable(QStringLiteral("%1: %2").arg(chart->name()).arg(chart->dataCount())));
        QVERIFY(run->controller()->simTime() < 0.01 * run->controller()->endTime());

        // The status bar says it is done, and the animated run goes on.
        QVERIFY2(run->status()->replicationText().startsWith(QStringLiteral("Finished in ")),
                 qPrintable(run->status()->replicationText()));
        QVERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Results: 5 replications, ")),
                 qPrintable(window.statusBar()->currentMessage()));
        QTRY_VERIFY(run->status()->clockText().contains(QStringLiteral(" events")));

        // Step still steps: pause, one event.
        window.pauseAction()->trigger();
        QCOMPARE(run->controller()->state(), RunController::State::Paused);
        window.stepAction()->trigger();
        QCOMPARE(run->controller()->state(), RunController::State::Paused);
        QCOMPARE(view->rowCount() > 0, true); // the answer stays
    }

    // Opt-in (QL_TIMING=1): every shipped example answers within 10 s of pressing Run.
    void everyExampleAnswersWithinSeconds_data()
    {
        QTest::addColumn<QString>("example");
        for (const auto &[path, name] : MainWindow::examples())
            QTest::newRow(qPrintable(QFileInfo(path).fileName())) << path;
    }
    void everyExampleAnswersWithinSeconds()
    {
        if (!qEnvironmentVariableIsSet("QL_TIMING"))
            QSKIP("timing: set QL_TIMING=1");
        QFETCH(QString, example);
        MainWindow window;
        QVERIFY(window.openExample(example));
        window.show();
        ResultsView *view = window.runCoordinator()->resultsView();
        QElapsedTimer clock;
        clock.start();
        window.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(view->rowCount() > 0, 10000);
        qInfo("%s: Results dock filled after %lld ms", qPrintable(QFileInfo(example).fileName()), clock.elapsed());
    }

    void stopAtPrecisionSaysHowItEnded()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        window.show();
        RunCoordinator *run = window.runCoordinator();
        QVERIFY(run->precisionAction() && window.runMenu()->actions().contains(run->precisionAction()));
        PrecisionRule rule;
        rule.target = 0.01;
        rule.maxReplications = 100;
        run->controller()->setPrecision(rule);
        window.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(run->resultsView()->rowCount() > 0, 30000);
        const QString summary = run->resultsView()->summary();
        QVERIFY2(summary.contains(QStringLiteral("stopped at precision: ")), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("(hello wait)")), qPrintable(summary));
        QVERIFY(run->controller()->results()->replications > 5); // hello's 5 are not enough for 1%
    }

    void ctrlCCopiesTheSelectedRows()
    {
        MainWindow window;
        QVERIFY(window.openExample(QStringLiteral(":/scenarios/hello.json")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        RunCoordinator *run = window.runCoordinator();
        ResultsView *view = run->resultsView();
        window.runAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(view->rowCount() > 0, 30000);
        QTableView *table = view->table();
        table->setFocus();
        table->selectRow(0);
        table->selectionModel()->select(table->model()->index(1, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QApplication::clipboard()->clear();
        QTest::keySequence(table, QKeySequence::Copy);
        const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3); // the header, two rows
        QVERIFY(lines[0].startsWith(QStringLiteral("Node\tKind\tMetric\t")));
        QVERIFY2(lines[1].startsWith(QStringLiteral("send\tproducer\tpublished\t")), qPrintable(lines[1]));
        QVERIFY2(lines[2].contains(QStringLiteral(" ± ")), qPrintable(lines[2]));
        QVERIFY(view->csv().startsWith(QStringLiteral("node,kind,metric,mean,ci95,")));
    }

    void speedFromAnywhereShowsInTheToolBar()
    {
        MainWindow window;
        window.show();
        RunController *controller = window.runCoordinator()->controller();
        controller->setSpeed(100000); // as --speed 100000 does
        auto *label = window.findChild<QLabel *>(QStringLiteral("speedLabel"));
        QVERIFY(label);
        QCOMPARE(label->text(), QStringLiteral("100,000 s/s"));
        QCOMPARE(window.speed(), 100000.0);
        controller->setSpeed(0);
        QCOMPARE(label->text(), QStringLiteral("max"));
    }

    void clickToAddPlacesNodesWhereThereIsRoom()
    {
        MainWindow window;
        window.newScenario();
        window.show();
        const QPointF centre(400, 300);
        QStringList ids;
        for (NodeKind kind : {NodeKind::Producer, NodeKind::Queue, NodeKind::Consumer, NodeKind::Queue})
            ids << window.addNode(kind, centre);
        const auto &layout = window.document()->scenario().layout;
        QCOMPARE(int(layout.size()), 4);
        QVERIFY(layout.count(ids[0].toStdString()));
        QCOMPARE(layout.at(ids[0].toStdString()).first, centre.x()); // the first lands where asked
        for (const auto &[a, pa] : layout)
            for (const auto &[b, pb] : layout)
                if (a < b)
                    QVERIFY2(std::abs(pa.first - pb.first) >= 160 || std::abs(pa.second - pb.second) >= 100,
                             qPrintable(QStringLiteral("%1 and %2 overlap").arg(QString::fromStdString(a),
                                                                                QString::fromStdString(b))));
    }

    void presenterHeaderSaysAQuestionRan()
    {
        MainWindow window;
        window.resize(1366, 768);
        window.show();
        LessonCoordinator *lessons = window.lessonCoordinator();
        QVERIFY(lessons->openLesson(QStringLiteral("01-hello-queue")));
        QVERIFY(lessons->goToStep(1));
        QVERIFY(lessons->currentStep() && lessons->currentStep()->question);
        PresenterWindow *presenter = lessons->showPresenter(false);
        QVERIFY(presenter);
        auto *time = presenter->findChild<QLabel *>(QStringLiteral("presenterTime"));
        QVERIFY(time);
        QCOMPARE(time->text(), QStringLiteral("not run yet"));
        QSignalSpy finished(lessons, &LessonCoordinator::questionFinished);
        lessons->runQuestion(0.5);
        QVERIFY(finished.wait(60000));
        QVERIFY2(time->text() != QStringLiteral("not run yet"), qPrintable(time->text()));
        QVERIFY2(time->text().contains(QStringLiteral("question")), qPrintable(time->text()));
        // The main window's step opens at its title, not past its first paragraph.
        QVERIFY(lessons->goToStep(2));
        auto *scroll = window.findChild<QScrollArea *>(QStringLiteral("lessonStepScroll"));
        QVERIFY(scroll);
        QTest::qWait(20);
        QCOMPARE(scroll->verticalScrollBar()->value(), 0);
    }

    void helpNeedsNoDisplay()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        p.setProcessEnvironment(env);
        for (const char *flag : {"--help", "--version"}) {
            p.start(QStringLiteral(QL_BINARY_DIR "/app/queuelab"), {QLatin1String(flag)});
            QVERIFY(p.waitForFinished(20000));
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 0);
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(out.contains(QStringLiteral("queuelab")) || out.contains(QStringLiteral("QueueLab")),
                     qPrintable(out + QString::fromUtf8(p.readAllStandardError())));
        }
    }
};

QTEST_MAIN(TestResultsDock)
#include "tst_resultsdock.moc"
