// queuelab: the desktop program.
//   queuelab [FILE] [--run | --live [--live-duration S] [--live-backend NAME]] [--screenshot PNG --after MS]
// opens FILE (or the built-in hello.json), optionally starts the run (or a live run on the
// backend of Run > Live Settings, the embedded broker by default), and with --screenshot
// grabs the main window after MS milliseconds into PNG and quits: that is how the README's
// screenshots are made, by the program itself. --lesson FILE|NAME [--step K] [--guess X] and
// --presenter show teaching mode (the screenshot then grabs the presenter view).
// --precision F runs the replications to precision, as Run > Stop at Precision.
#include "apptheme.h"
#include "lessoncoordinator.h"
#include "livecoordinator.h"
#include "mainwindow.h"
#include "narrativecoordinator.h"
#include "presenterwindow.h"
#include "runcontroller.h"
#include "runcoordinator.h"
#include "topologyscene.h"
#include "topologyview.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QPixmap>
#include <QSaveFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

namespace {

// --help and --version print and leave: they must work without a display (in a terminal over
// ssh, in a build log), where a QApplication would abort before parsing anything.
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-?" || a == "-v" || a == "--version")
            return true;
        if (a == "--")
            break;
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    const std::unique_ptr<QCoreApplication> application =
        onlyPrints(argc, argv) ? std::make_unique<QCoreApplication>(argc, argv)
                               : std::make_unique<QApplication>(argc, argv);
    QCoreApplication &app = *application;
    QApplication::setOrganizationName(QStringLiteral("QueueLab"));
    QApplication::setApplicationName(QStringLiteral("QueueLab"));
    QApplication::setApplicationVersion(QStringLiteral(QL_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("queuelab"));
    Q_INIT_RESOURCE(resources);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "QueueLab: design, simulate and animate message-queue topologies."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("FILE"),
                                 QStringLiteral("Scenario to open (default: the hello.json example)."),
                                 QStringLiteral("[FILE]"));
    const QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("Start running the scenario."));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"), QStringLiteral("Save a picture of the window to PNG and quit."),
        QStringLiteral("PNG"));
    const QCommandLineOption afterOption(
        QStringLiteral("after"), QStringLiteral("Milliseconds to wait before the screenshot (default 1000)."),
        QStringLiteral("MS"), QStringLiteral("1000"));
    const QCommandLineOption darkOption(QStringLiteral("dark"), QStringLiteral("Use the dark theme."));
    const QCommandLineOption lightOption(QStringLiteral("light"), QStringLiteral("Use the light theme."));
    const QCommandLineOption selectOption(
        QStringLiteral("select"), QStringLiteral("Select node ID on the canvas (for screenshots)."),
        QStringLiteral("ID"));
    parser.addOption(runOption);
    parser.addOption(screenshotOption);
    parser.addOption(afterOption);
    parser.addOption(darkOption);
    parser.addOption(lightOption);
    const QCommandLineOption sizeOption(
        QStringLiteral("size"), QStringLiteral("Window size for screenshots, e.g. 1600x1000."),
        QStringLiteral("WxH"));
    parser.addOption(selectOption);
    const QCommandLineOption speedOption(
        QStringLiteral("speed"),
        QStringLiteral("Simulated time per second for --run (0 = as fast as possible)."),
        QStringLiteral("X"));
    parser.addOption(sizeOption);
    parser.addOption(speedOption);
    const QCommandLineOption liveOption(
        QStringLiteral("live"),
        QStringLiteral("Start a live run: the scenario as real traffic on the backend of Run > Live "
                       "Settings (the embedded broker by default), compared with the simulation."));
    const QCommandLineOption liveDurationOption(
        QStringLiteral("live-duration"),
        QStringLiteral("Wall-clock seconds of the --live run (default: the scenario's duration)."),
        QStringLiteral("S"));
    const QCommandLineOption liveBackendOption(
        QStringLiteral("live-backend"),
        QStringLiteral("Backend of the --live run: embedded or amqp (the URI from QUEUELAB_AMQP_URI)."),
        QStringLiteral("NAME"));
    parser.addOption(liveOption);
    parser.addOption(liveDurationOption);
    parser.addOption(liveBackendOption);
    // Teaching mode, for screenshots and classes: a lesson at a step, a guess, the presenter.
    const QCommandLineOption lessonOption(QStringLiteral("lesson"),
        QStringLiteral("Open a lesson file, or a built-in lesson by name (e.g. 07-littles-law)."), QStringLiteral("FILE|NAME"));
    const QCommandLineOption stepOption(QStringLiteral("step"), QStringLiteral("Show step K (1-based) of the --lesson."), QStringLiteral("K"));
    const QCommandLineOption guessOption(QStringLiteral("guess"), QStringLiteral("On a question step, compare guess X."), QStringLiteral("X"));
    const QCommandLineOption presenterOption(QStringLiteral("presenter"), QStringLiteral("Open the presenter view (the screenshot shows it)."));
    parser.addOptions({lessonOption, stepOption, guessOption, presenterOption});
    const QCommandLineOption precisionOption(QStringLiteral("precision"),
        QStringLiteral("Run replications until every 95% interval is within F of its mean (e.g. 0.02), as Run > Stop at Precision."),
        QStringLiteral("F"));
    parser.addOption(precisionOption);
    const QCommandLineOption followOption(QStringLiteral("follow"),
        QStringLiteral("Follow message N in the Narrative panel and on the canvas."), QStringLiteral("N"));
    parser.addOption(followOption);
    parser.process(app);
    QSize size;
    if (parser.isSet(sizeOption)) {
        const QStringList wh = parser.value(sizeOption).split(QLatin1Char('x'));
        if (wh.size() == 2)
            size = QSize(wh[0].toInt(), wh[1].toInt());
        if (size.width() < 400 || size.height() < 300) {
            std::fprintf(stderr, "queuelab: --size needs WIDTHxHEIGHT of at least 400x300, got \"%s\"\n",
                         qPrintable(parser.value(sizeOption)));
            return 2;
        }
    }

    bool okAfter = false;
    const int after = parser.value(afterOption).toInt(&okAfter);
    if (!okAfter || after < 0) {
        std::fprintf(stderr, "queuelab: --after needs a number of milliseconds, got \"%s\"\n",
                     qPrintable(parser.value(afterOption)));
        return 2;
    }
    const QString screenshot = parser.value(screenshotOption);
    // A screenshot shows the program as a new user first sees it, whatever this user's saved
    // window layout, and leaves that layout alone: its settings live in a scratch folder.
    QTemporaryDir scratchSettings;
    if (!screenshot.isEmpty() && scratchSettings.isValid())
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratchSettings.path());

    bool dark = QSettings().value(QStringLiteral("view/darkTheme"), false).toBool();
    if (parser.isSet(darkOption))
        dark = true;
    if (parser.isSet(lightOption))
        dark = false;
    ql::applyTheme(dark);

    ql::MainWindow window;
    window.setDarkTheme(dark);
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty())
        window.openFile(files.first());
    else
        window.openExample(QStringLiteral(":/scenarios/hello.json"));
    if (size.isValid())
        window.resize(size);
    window.show();
    if (parser.isSet(selectOption))
        window.topologyView()->topologyScene()->selectItems({parser.value(selectOption)});
    ql::LessonCoordinator *lessons = window.lessonCoordinator();
    if (parser.isSet(lessonOption) && (!lessons->openLesson(parser.value(lessonOption))
                                       || (parser.isSet(stepOption) && !lessons->goToStep(parser.value(stepOption).toInt() - 1)))) {
        std::fprintf(stderr, "queuelab: cannot show lesson \"%s\" at that step\n", qPrintable(parser.value(lessonOption)));
        return 2;
    }
    if (parser.isSet(presenterOption) && lessons->showPresenter(!size.isValid()) && size.isValid())
        lessons->presenter()->resize(size);
    if (parser.isSet(guessOption) && lessons->currentStep() && lessons->currentStep()->question)
        lessons->runQuestion(parser.value(guessOption).toDouble());

    if (parser.isSet(followOption)) {
        window.narrativeCoordinator()->followMessage(parser.value(followOption).toULongLong());
    }
    if (parser.isSet(speedOption)) {
        bool ok = false;
        const double speed = parser.value(speedOption).toDouble(&ok);
        if (!ok || speed < 0) {
            std::fprintf(stderr, "queuelab: --speed needs a number >= 0, got \"%s\"\n",
                         qPrintable(parser.value(speedOption)));
            return 2;
        }
        window.runCoordinator()->controller()->setSpeed(speed);
    }
    if (parser.isSet(precisionOption)) {
        bool ok = false;
        const double target = parser.value(precisionOption).toDouble(&ok);
        if (!ok || !(target > 0 && target < 1)) {
            std::fprintf(stderr, "queuelab: --precision needs a number between 0 and 1 (0.02 = 2%%), got \"%s\"\n",
                         qPrintable(parser.value(precisionOption)));
            return 2;
        }
        ql::PrecisionRule rule;
        rule.target = target;
        window.runCoordinator()->controller()->setPrecision(rule);
        window.runCoordinator()->precisionAction()->setChecked(true);
    }
    if (parser.isSet(liveOption)) {
        ql::LiveCoordinator *live = window.runCoordinator()->live();
        ql::LiveSettings settings = live->settings();
        if (parser.isSet(liveBackendOption)) {
            const QString backend = parser.value(liveBackendOption);
            if (backend != QLatin1String("embedded") && backend != QLatin1String("amqp")) {
                std::fprintf(stderr, "queuelab: --live-backend must be embedded or amqp, got \"%s\"\n",
                             qPrintable(backend));
                return 2;
            }
            settings.backend = backend;
            settings.uri.clear(); // QUEUELAB_AMQP_URI or the default, as the CLI
        }
        if (parser.isSet(liveDurationOption)) {
            bool ok = false;
            const double seconds = parser.value(liveDurationOption).toDouble(&ok);
            if (!ok || !(seconds > 0)) {
                std::fprintf(stderr, "queuelab: --live-duration needs a number of seconds > 0, got \"%s\"\n",
                             qPrintable(parser.value(liveDurationOption)));
                return 2;
            }
            settings.durationSeconds = seconds;
        }
        live->setSettings(settings, false); // for this run only
        QTimer::singleShot(0, &window, [live] { live->liveAction()->trigger(); });
    } else if (parser.isSet(runOption)) {
        QTimer::singleShot(0, &window, [&window] { window.runAction()->trigger(); });
    }

    int status = 0;
    if (!screenshot.isEmpty()) {
        QTimer::singleShot(after, &window, [&window, &screenshot, &status, lessons] {
            const QPixmap shot = lessons->presenter() ? lessons->presenter()->grab() : window.grab();
            QSaveFile file(screenshot);
            if (!file.open(QIODevice::WriteOnly) || !shot.save(&file, "PNG") || !file.commit()) {
                std::fprintf(stderr, "queuelab: cannot write screenshot %s: %s\n",
                             qPrintable(screenshot), qPrintable(file.errorString()));
                status = 1;
            }
            // Leave without the unsaved-changes prompt and without touching the settings.
            QApplication::exit(status);
        });
    }
    const int code = app.exec();
    return status ? status : code;
}
