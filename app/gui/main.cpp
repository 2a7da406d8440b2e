// queuelab: the desktop program.
//   queuelab [FILE] [--run] [--screenshot PNG --after MS]
// opens FILE (or the built-in hello.json), optionally starts the run, and with --screenshot
// grabs the main window after MS milliseconds into PNG and quits: that is how the README's
// screenshots are made, by the program itself.
#include "apptheme.h"
#include "mainwindow.h"
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
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("QueueLab"));
    QApplication::setApplicationName(QStringLiteral("QueueLab"));
    QApplication::setApplicationVersion(QStringLiteral(QL_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("queuelab"));
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
    if (parser.isSet(runOption)) {
        QTimer::singleShot(0, &window, [&window] {
            if (auto *run = window.findChild<QAction *>(QStringLiteral("actionRun")))
                run->trigger();
        });
    }

    int status = 0;
    if (!screenshot.isEmpty()) {
        QTimer::singleShot(after, &window, [&window, &screenshot, &status] {
            const QPixmap shot = window.grab();
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
