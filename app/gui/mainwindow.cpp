// The main window: menus, tool bars, docks, files, and the views' requests turned into undo
// commands (see mainwindow.h).
#include "mainwindow.h"

#include "apptheme.h"
#include "autolayout.h"
#include "canvasactions.h"
#include "commands.h"
#include "lessoncoordinator.h"
#include "loaderrordialog.h"
#include "makeaction.h"
#include "narrativecoordinator.h"
#include "recentfiles.h"
#include "runcoordinator.h"
#include "shortcutsdialog.h"
#include "palettewidget.h"
#include "propertiesdock.h"
#include "propertypage.h"
#include "scenariodocument.h"
#include "themedicon.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "scenario/scenarioio.h"
#include "stats/numberformat.h"
#include "topology/nodekinds.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

constexpr int kSpeedSliderMax = 60; // the run controller's slider scale: 0.1 .. 100,000, then max

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// "Hello world: one producer" -> "hello-world-one-producer.json"; "scenario.json" when the
// name has no letters or digits.
QString fileNameFor(const std::string &name)
{
    QString slug;
    for (const QChar c : QString::fromStdString(name).toLower()) {
        if (c.isLetterOrNumber())
            slug += c;
        else if (!slug.isEmpty() && !slug.endsWith(QLatin1Char('-')))
            slug += QLatin1Char('-');
        if (slug.size() >= 48)
            break;
    }
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    return (slug.isEmpty() ? QStringLiteral("scenario") : slug) + QStringLiteral(".json");
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , document_(new ScenarioDocument(this))
    , view_(new TopologyView(document_, this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/queuelab.svg")));
    setCentralWidget(view_);
    setAcceptDrops(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks
                   | QMainWindow::AllowNestedDocks);
    setDocumentMode(true);

    createActions();
    createDocks();
    createMenus();
    createToolBars();
    createStatusBar();
    connectViews();

    resize(1400, 900);
    resizeDocks({paletteDock_, properties_}, {240, 390}, Qt::Horizontal);
    resizeDocks({chartsDock_}, {200}, Qt::Vertical);
    resizeDocks({paletteDock_, descriptionDock_}, {palette_->sizeHint().height() + 24, 400}, Qt::Vertical);
    readSettings();
    updateTitle();
    updateCounts();
    validate();
    // Running, animation, charts and exports: wired onto the editor in one place.
    run_ = new RunCoordinator(this);
    // Teaching mode: the Lessons dock, questions and the presenter view (after running).
    lessons_ = new LessonCoordinator(this);
    // Teaching mode: the event narrative dock and token picking on the canvas.
    narrative_ = new NarrativeCoordinator(this);
}

MainWindow::~MainWindow()
{
    // The views hold the document and may still report edits while they are torn down (a
    // focused field emits editingFinished): take them down first, the document last.
    qDeleteAll(dockWidgets());
    delete view_;
}

QList<QDockWidget *> MainWindow::dockWidgets() const
{
    // The coordinators make their docks with the window as parent: its children are the list.
    return findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
}

// --- Construction ------------------------------------------------------------------------

void MainWindow::createActions()
{
    newAction_ = makeAction(this, QStringLiteral("actionNew"), tr("&New"), QStringLiteral("document-new"),
                            tr("Start an empty scenario"));
    newAction_->setShortcut(QKeySequence::New);
    connect(newAction_, &QAction::triggered, this, [this] {
        if (maybeSave())
            newScenario();
    });

    openAction_ = makeAction(this, QStringLiteral("actionOpen"), tr("&Open..."),
                             QStringLiteral("document-open"), tr("Open a scenario file"));
    openAction_->setShortcut(QKeySequence::Open);
    connect(openAction_, &QAction::triggered, this, &MainWindow::open);

    saveAction_ = makeAction(this, QStringLiteral("actionSave"), tr("&Save"), QStringLiteral("document-save"),
                             tr("Save the scenario"));
    saveAction_->setShortcut(QKeySequence::Save);
    connect(saveAction_, &QAction::triggered, this, &MainWindow::save);

    saveAsAction_ = makeAction(this, QStringLiteral("actionSaveAs"), tr("Save &As..."),
                               QStringLiteral("document-save-as"), tr("Save the scenario under a new name"));
    saveAsAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    connect(saveAsAction_, &QAction::triggered, this, &MainWindow::saveAs);

    quitAction_ = makeAction(this, QStringLiteral("actionQuit"), tr("&Quit"), QStringLiteral("quit"),
                             tr("Quit QueueLab"));
    quitAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::Quit), QKeySequence(QStringLiteral("Ctrl+Q"))}));
    quitAction_->setMenuRole(QAction::QuitRole);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    QUndoStack *stack = document_->undoStack();
    undoAction_ = stack->createUndoAction(this, tr("&Undo"));
    undoAction_->setObjectName(QStringLiteral("actionUndo"));
    undoAction_->setIcon(themedIcon(QStringLiteral("edit-undo")));
    undoAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::Undo), QKeySequence(QStringLiteral("Ctrl+Z"))}));
    redoAction_ = stack->createRedoAction(this, tr("&Redo"));
    redoAction_->setObjectName(QStringLiteral("actionRedo"));
    redoAction_->setIcon(themedIcon(QStringLiteral("edit-redo")));
    redoAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::Redo), QKeySequence(QStringLiteral("Ctrl+Shift+Z")),
                                          QKeySequence(QStringLiteral("Ctrl+Y"))}));

    // Cut, copy, paste, delete, zoom, grid, link tool, layout: the canvas's own.
    canvas_ = new CanvasActions(document_, view_, this);
    connect(canvas_, &CanvasActions::statusMessage, this,
            [this](const QString &text, int timeout) { statusBar()->showMessage(text, timeout); });

    darkAction_ = makeAction(this, QStringLiteral("actionDarkTheme"), tr("&Dark Theme"),
                             QStringLiteral("dark-theme"), tr("Switch between the light and the dark palette"));
    darkAction_->setCheckable(true);
    connect(darkAction_, &QAction::toggled, this, &MainWindow::setDarkTheme);

    runAction_ = makeAction(this, QStringLiteral("actionRun"), tr("&Run"), QStringLiteral("run"),
                            tr("Run the simulation, animated on the canvas"));
    runAction_->setShortcut(QKeySequence(Qt::Key_F5));
    pauseAction_ = makeAction(this, QStringLiteral("actionPause"), tr("&Pause"), QStringLiteral("pause"),
                              tr("Pause the simulation"));
    pauseAction_->setShortcut(QKeySequence(Qt::Key_F6));
    stepAction_ = makeAction(this, QStringLiteral("actionStep"), tr("&Step"), QStringLiteral("step"),
                             tr("Advance the simulation by exactly one event"));
    stepAction_->setShortcut(QKeySequence(Qt::Key_F10));
    resetAction_ = makeAction(this, QStringLiteral("actionReset"), tr("R&eset"), QStringLiteral("reset"),
                              tr("Back to time 0, nothing simulated"));
    resetAction_->setShortcut(QKeySequence(QStringLiteral("Shift+F5")));

    shortcutsAction_ = makeAction(this, QStringLiteral("actionShortcuts"), tr("&Keyboard Shortcuts"),
                                  QStringLiteral("help-keys"), tr("List the keyboard and mouse shortcuts"));
    shortcutsAction_->setShortcut(QKeySequence::HelpContents);
    connect(shortcutsAction_, &QAction::triggered, this, &MainWindow::showShortcuts);
    aboutAction_ = makeAction(this, QStringLiteral("actionAbout"), tr("&About QueueLab"),
                              QStringLiteral("help-about"), tr("About QueueLab"));
    aboutAction_->setMenuRole(QAction::AboutRole);
    connect(aboutAction_, &QAction::triggered, this, &MainWindow::showAbout);

    for (QAction *a : {newAction_, openAction_, saveAction_, undoAction_, redoAction_, runAction_,
                       pauseAction_, stepAction_, resetAction_})
        addShortcutToToolTip(a);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
    fileMenu_ = file;
    file->addAction(newAction_);
    file->addAction(openAction_);
    QMenu *recent = file->addMenu(tr("Open &Recent"));
    recent->setObjectName(QStringLiteral("menuRecent"));
    recentFiles_ = new RecentFiles(recent, this);
    connect(recentFiles_, &RecentFiles::openRequested, this, [this](const QString &path) {
        if (maybeSave())
            openFile(path);
    });
    exampleMenu_ = file->addMenu(themedIcon(QStringLiteral("example")), tr("Open &Example"));
    exampleMenu_->setObjectName(QStringLiteral("menuExamples"));
    for (const auto &[path, name] : examples()) {
        QAction *a = exampleMenu_->addAction(name);
        a->setData(path);
        a->setStatusTip(tr("Open the built-in example %1").arg(QFileInfo(path).fileName()));
        connect(a, &QAction::triggered, this, [this, path = path] {
            if (maybeSave())
                openExample(path);
        });
    }
    file->addSeparator();
    file->addAction(saveAction_);
    file->addAction(saveAsAction_);
    file->addSeparator();
    exportMenu_ = file->addMenu(tr("&Export"));
    exportMenu_->setObjectName(QStringLiteral("menuExport"));
    exportMenu_->menuAction()->setVisible(false);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->setObjectName(QStringLiteral("menuEdit"));
    edit->addAction(undoAction_);
    edit->addAction(redoAction_);
    edit->addSeparator();
    edit->addAction(canvas_->cutAction());
    edit->addAction(canvas_->copyAction());
    edit->addAction(canvas_->pasteAction());
    edit->addAction(canvas_->duplicateAction());
    edit->addAction(canvas_->deleteAction());
    edit->addSeparator();
    edit->addAction(canvas_->selectAllAction());

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    viewMenu_->setObjectName(QStringLiteral("menuView"));
    viewMenu_->addAction(canvas_->zoomInAction());
    viewMenu_->addAction(canvas_->zoomOutAction());
    viewMenu_->addAction(canvas_->actualSizeAction());
    viewMenu_->addAction(canvas_->fitAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(canvas_->gridAction());
    viewMenu_->addAction(canvas_->snapAction());
    viewMenu_->addAction(canvas_->linkToolAction());
    viewMenu_->addAction(canvas_->autoLayoutAction());
    viewMenu_->addSeparator();
    panelsMenu_ = viewMenu_->addMenu(tr("&Panels"));
    panelsMenu_->setObjectName(QStringLiteral("menuPanels"));
    for (QDockWidget *dock : {paletteDock_, descriptionDock_, static_cast<QDockWidget *>(properties_),
                              historyDock_, chartsDock_})
        panelsMenu_->addAction(dock->toggleViewAction());
    QMenu *toolbars = viewMenu_->addMenu(tr("&Tool Bars"));
    toolbars->setObjectName(QStringLiteral("menuToolBars"));
    connect(toolbars, &QMenu::aboutToShow, this, [this, toolbars] {
        toolbars->clear();
        for (QToolBar *bar : {fileToolBar_, editToolBar_, viewToolBar_, runToolBar_})
            toolbars->addAction(bar->toggleViewAction());
    });
    viewMenu_->addSeparator();
    viewMenu_->addAction(darkAction_);

    runMenu_ = menuBar()->addMenu(tr("&Run"));
    runMenu_->setObjectName(QStringLiteral("menuRun"));
    runMenu_->addAction(runAction_);
    runMenu_->addAction(pauseAction_);
    runMenu_->addAction(stepAction_);
    runMenu_->addAction(resetAction_);

    helpMenu_ = menuBar()->addMenu(tr("&Help"));
    helpMenu_->setObjectName(QStringLiteral("menuHelp"));
    helpMenu_->addAction(shortcutsAction_);
    helpMenu_->addSeparator();
    helpMenu_->addAction(aboutAction_);
}

void MainWindow::createToolBars()
{
    auto makeBar = [this](const QString &name, const QString &title) {
        QToolBar *bar = addToolBar(title);
        bar->setObjectName(name);
        bar->setIconSize(QSize(20, 20));
        bar->setMovable(true);
        return bar;
    };
    fileToolBar_ = makeBar(QStringLiteral("fileToolBar"), tr("File"));
    fileToolBar_->addAction(newAction_);
    fileToolBar_->addAction(openAction_);
    fileToolBar_->addAction(saveAction_);

    editToolBar_ = makeBar(QStringLiteral("editToolBar"), tr("Edit"));
    editToolBar_->addAction(undoAction_);
    editToolBar_->addAction(redoAction_);
    editToolBar_->addAction(canvas_->deleteAction());

    viewToolBar_ = makeBar(QStringLiteral("viewToolBar"), tr("View"));
    viewToolBar_->addAction(canvas_->linkToolAction());
    viewToolBar_->addAction(canvas_->autoLayoutAction());
    viewToolBar_->addAction(canvas_->gridAction());
    viewToolBar_->addSeparator();
    viewToolBar_->addAction(canvas_->zoomOutAction());
    viewToolBar_->addAction(canvas_->zoomInAction());
    viewToolBar_->addAction(canvas_->fitAction());

    runToolBar_ = makeBar(QStringLiteral("runToolBar"), tr("Run"));
    runToolBar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    runToolBar_->addAction(runAction_);
    runToolBar_->addAction(pauseAction_);
    runToolBar_->addAction(stepAction_);
    runToolBar_->addAction(resetAction_);
    runToolBar_->addSeparator();

    auto *speedBox = new QWidget(runToolBar_);
    auto *speedLayout = new QHBoxLayout(speedBox);
    speedLayout->setContentsMargins(6, 0, 6, 0);
    speedLayout->setSpacing(6);
    auto *speedTitle = new QLabel(tr("Speed"), speedBox);
    speedSlider_ = new QSlider(Qt::Horizontal, speedBox);
    speedSlider_->setObjectName(QStringLiteral("speedSlider"));
    speedSlider_->setRange(0, kSpeedSliderMax);
    speedSlider_->setValue(20);
    speedSlider_->setFixedWidth(130);
    speedSlider_->setToolTip(tr("From slow motion (follow single messages) to as fast as possible"));
    speedLabel_ = new QLabel(speedBox);
    speedLabel_->setObjectName(QStringLiteral("speedLabel"));
    speedLabel_->setMinimumWidth(speedLabel_->fontMetrics().horizontalAdvance(QStringLiteral("100,000 ms/s")));
    speedLayout->addWidget(speedTitle);
    speedLayout->addWidget(speedSlider_);
    speedLayout->addWidget(speedLabel_);
    speedBox->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    runToolBar_->addWidget(speedBox);
    connect(speedSlider_, &QSlider::valueChanged, this, [this](int value) {
        speed_ = speedForSliderValue(value);
        updateRunControls();
        emit speedChanged(speed_);
    });

    auto *seedBox = new QWidget(runToolBar_);
    auto *seedLayout = new QHBoxLayout(seedBox);
    seedLayout->setContentsMargins(6, 0, 6, 0);
    seedLayout->setSpacing(6);
    seedSpin_ = new QDoubleSpinBox(seedBox);
    seedSpin_->setObjectName(QStringLiteral("seedSpinBox"));
    seedSpin_->setDecimals(0);
    seedSpin_->setRange(0, 9007199254740992.0); // every seed a JSON number holds exactly
    seedSpin_->setMinimumWidth(110);
    seedSpin_->setToolTip(tr("Seed of replication 1: the same seed gives the same run"));
    seedSpin_->setKeyboardTracking(false);
    seedLayout->addWidget(new QLabel(tr("Seed"), seedBox));
    seedLayout->addWidget(seedSpin_);
    seedBox->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    runToolBar_->addWidget(seedBox);
    connect(seedSpin_, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        if (updatingSeed_)
            return;
        ScenarioHeader h = document_->header();
        h.run.seed = std::uint64_t(value);
        if (h == document_->header())
            return;
        document_->undoStack()->push(new EditHeaderCommand(document_, h, QStringLiteral("run.seed#toolbar")));
    });
    updateRunControls();
}

void MainWindow::createDocks()
{
    palette_ = new PaletteWidget;
    paletteDock_ = new QDockWidget(tr("Nodes"), this);
    paletteDock_->setObjectName(QStringLiteral("paletteDock"));
    // In a scroll area: on a laptop's 768 pixels the six kinds must not set the window's
    // minimum height.
    auto *paletteScroll = new QScrollArea;
    paletteScroll->setObjectName(QStringLiteral("paletteScroll"));
    paletteScroll->setWidget(palette_);
    paletteScroll->setWidgetResizable(true);
    paletteScroll->setFrameShape(QFrame::NoFrame);
    paletteScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    paletteScroll->setMinimumHeight(96);
    paletteDock_->setWidget(paletteScroll);
    addDockWidget(Qt::LeftDockWidgetArea, paletteDock_);

    description_ = new QTextBrowser;
    description_->setObjectName(QStringLiteral("descriptionBrowser"));
    description_->setOpenExternalLinks(true);
    description_->setFrameShape(QFrame::NoFrame);
    description_->document()->setDocumentMargin(10);
    descriptionTitle_ = new QLabel;
    descriptionTitle_->setObjectName(QStringLiteral("descriptionTitle"));
    descriptionTitle_->setWordWrap(true);
    descriptionTitle_->setTextFormat(Qt::PlainText);
    descriptionTitle_->setContentsMargins(10, 10, 10, 0);
    QFont titleFont = descriptionTitle_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setWeight(QFont::DemiBold);
    descriptionTitle_->setFont(titleFont);
    auto *descriptionPanel = new QWidget;
    descriptionPanel->setAutoFillBackground(true);
    descriptionPanel->setBackgroundRole(QPalette::Base);
    auto *descriptionLayout = new QVBoxLayout(descriptionPanel);
    descriptionLayout->setContentsMargins(0, 0, 0, 0);
    descriptionLayout->setSpacing(0);
    descriptionLayout->addWidget(descriptionTitle_);
    descriptionLayout->addWidget(description_, 1);
    descriptionDock_ = new QDockWidget(tr("About this Scenario"), this);
    descriptionDock_->setObjectName(QStringLiteral("descriptionDock"));
    descriptionDock_->setWidget(descriptionPanel);
    addDockWidget(Qt::LeftDockWidgetArea, descriptionDock_);
    splitDockWidget(paletteDock_, descriptionDock_, Qt::Vertical);

    properties_ = new PropertiesDock(document_, this);
    addDockWidget(Qt::RightDockWidgetArea, properties_);

    undoView_ = new QUndoView(document_->undoStack());
    undoView_->setObjectName(QStringLiteral("undoView"));
    undoView_->setEmptyLabel(tr("Start"));
    undoView_->setCleanIcon(themedIcon(QStringLiteral("document-save")));
    undoView_->setFrameShape(QFrame::NoFrame);
    historyDock_ = new QDockWidget(tr("History"), this);
    historyDock_->setObjectName(QStringLiteral("historyDock"));
    historyDock_->setWidget(undoView_);
    addDockWidget(Qt::RightDockWidgetArea, historyDock_);
    tabifyDockWidget(properties_, historyDock_);
    properties_->raise();

    auto *placeholder = new QLabel(tr("Charts of latency, throughput, queue depth and utilization "
                                      "fill in here while a scenario runs.\nPress Run (F5) to start."));
    placeholder->setObjectName(QStringLiteral("chartsPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setForegroundRole(QPalette::PlaceholderText);
    chartsDock_ = new QDockWidget(tr("Charts"), this);
    chartsDock_->setObjectName(QStringLiteral("chartsDock"));
    chartsDock_->setWidget(placeholder);
    addDockWidget(Qt::BottomDockWidgetArea, chartsDock_);
}

void MainWindow::createStatusBar()
{
    QStatusBar *bar = statusBar();
    bar->setSizeGripEnabled(true);
    countLabel_ = new QLabel(bar);
    countLabel_->setObjectName(QStringLiteral("countLabel"));
    countLabel_->setContentsMargins(8, 0, 8, 0);
    problemsButton_ = new QToolButton(bar);
    problemsButton_->setObjectName(QStringLiteral("problemsButton"));
    problemsButton_->setAutoRaise(true);
    problemsButton_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    problemsButton_->setIconSize(QSize(16, 16));
    connect(problemsButton_, &QToolButton::clicked, this, [this] {
        view_->topologyScene()->clearSelection();
        properties_->show();
        properties_->raise();
    });
    zoomLabel_ = new QLabel(bar);
    zoomLabel_->setObjectName(QStringLiteral("zoomLabel"));
    zoomLabel_->setMinimumWidth(52);
    zoomLabel_->setAlignment(Qt::AlignCenter);
    zoomLabel_->setToolTip(tr("Zoom: wheel or Ctrl+wheel, Ctrl+= and Ctrl+-, Ctrl+0 fits"));
    bar->addPermanentWidget(countLabel_);
    bar->addPermanentWidget(problemsButton_);
    bar->addPermanentWidget(zoomLabel_);
    bar->showMessage(tr("Drag node kinds from the palette; link nodes by dragging from a node's "
                        "port or with Shift+drag."));
}

void MainWindow::connectViews()
{
    TopologyScene *scene = view_->topologyScene();
    QUndoStack *stack = document_->undoStack();

    // The canvas's own requests (drops, links, moves, its menu) are CanvasActions'.
    connect(palette_, &PaletteWidget::addRequested, this, [this](NodeKind kind) {
        addNode(kind, view_->visibleCentre());
    });
    connect(scene, &TopologyScene::statusHint, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(scene, &QGraphicsScene::selectionChanged, this, [this] {
        properties_->setSelection(view_->topologyScene()->selectedNodeIds(),
                                  view_->topologyScene()->selectedLinkIndexes());
    });
    connect(view_, &TopologyView::zoomChanged, this, [this](double z) {
        zoomLabel_->setText(QStringLiteral("%1 %").arg(std::lround(z * 100)));
    });
    zoomLabel_->setText(QStringLiteral("100 %"));

    connect(properties_, &PropertiesDock::nodeEditRequested, this,
            [stack, this](int index, const Node &node, const QString &key) {
                stack->push(new EditNodeCommand(document_, index, node, key));
            });
    connect(properties_, &PropertiesDock::nodeRenameRequested, this,
            [stack, this](const QString &oldId, const QString &newId) {
                stack->push(new RenameNodeCommand(document_, oldId, newId));
            });
    connect(properties_, &PropertiesDock::linkEditRequested, this,
            [stack, this](int index, const Link &link, const QString &key) {
                stack->push(new EditLinkCommand(document_, index, link, key));
            });
    connect(properties_, &PropertiesDock::headerEditRequested, this,
            [stack, this](const ScenarioHeader &header, const QString &key) {
                stack->push(new EditHeaderCommand(document_, header, key));
            });

    connect(document_, &ScenarioDocument::changed, this, [this] {
        validate();
        updateCounts();
    });
    connect(document_, &ScenarioDocument::headerChanged, this, [this] {
        updateDescription();
        updateRunControls();
    });
    connect(document_, &ScenarioDocument::scenarioReset, this, [this] {
        updateDescription();
        updateRunControls();
        updateTitle();
    });
    connect(document_, &ScenarioDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(document_, &ScenarioDocument::filePathChanged, this, &MainWindow::updateTitle);
}

// --- Settings (read and written here only) -------------------------------------------------

void MainWindow::readSettings()
{
    QSettings settings;
    const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    const QByteArray state = settings.value(QStringLiteral("window/state")).toByteArray();
    if (!state.isEmpty())
        layoutRestored_ = restoreState(state);
    canvas_->gridAction()->setChecked(settings.value(QStringLiteral("view/grid"), true).toBool());
    canvas_->snapAction()->setChecked(settings.value(QStringLiteral("view/snap"), true).toBool());
    darkAction_->setChecked(settings.value(QStringLiteral("view/darkTheme"), false).toBool());
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("view/grid"), canvas_->gridAction()->isChecked());
    settings.setValue(QStringLiteral("view/snap"), canvas_->snapAction()->isChecked());
    settings.setValue(QStringLiteral("view/darkTheme"), darkAction_->isChecked());
}

// --- Files -------------------------------------------------------------------------------

QList<QPair<QString, QString>> MainWindow::examples()
{
    QList<QPair<QString, QString>> out;
    const QDir dir(QStringLiteral(":/scenarios"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(file);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const LoadResult r = parseScenario(f.readAll().toStdString(), file.toStdString());
        const QString name = r.scenario && !r.scenario->name.empty() ? q(r.scenario->name) : file;
        out.append({path, name});
    }
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return QString::localeAwareCompare(a.second, b.second) < 0;
    });
    return out;
}

void MainWindow::loadScenario(Scenario scenario, const QString &path, const QString &displayName)
{
    placeUnpositionedNodes(scenario);
    canvas_->resetPasteOffset();
    document_->reset(scenario, path, displayName);
    fitPending_ = true;
    view_->fitToView();
    // The view may not have its final size yet (first show, dock layout): fit again then.
    QTimer::singleShot(0, this, [this] {
        if (fitPending_)
            view_->fitToView();
        fitPending_ = false;
    });
}

bool MainWindow::openFile(const QString &path)
{
    const LoadResult result = loadScenarioFile(QDir::toNativeSeparators(path).toStdString());
    const QString name = QFileInfo(path).fileName();
    if (!result.scenario) {
        if (loadErrorDialog_)
            loadErrorDialog_->close();
        loadErrorDialog_ = new LoadErrorDialog(name, result.diagnostics, this);
        loadErrorDialog_->setAttribute(Qt::WA_DeleteOnClose);
        loadErrorDialog_->open();
        statusBar()->showMessage(tr("%1 was not opened.").arg(name), 6000);
        return false;
    }
    loadScenario(*result.scenario, QFileInfo(path).absoluteFilePath(), {});
    recentFiles_->add(path);
    const int warnings = int(result.diagnostics.warnings().size());
    statusBar()->showMessage(warnings ? tr("Opened %1 (%2).").arg(name, countText(warnings, "warning", "warnings"))
                                      : tr("Opened %1.").arg(name),
                             5000);
    return true;
}

bool MainWindow::openExample(const QString &resourcePath)
{
    QFile f(resourcePath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QString file = QFileInfo(resourcePath).fileName();
    const LoadResult result = parseScenario(f.readAll().toStdString(), file.toStdString());
    if (!result.scenario) {
        loadErrorDialog_ = new LoadErrorDialog(file, result.diagnostics, this);
        loadErrorDialog_->setAttribute(Qt::WA_DeleteOnClose);
        loadErrorDialog_->open();
        return false;
    }
    loadScenario(*result.scenario, {}, tr("%1 (example)").arg(file));
    statusBar()->showMessage(tr("Opened the example %1. Save it to keep your changes.").arg(file), 5000);
    return true;
}

void MainWindow::newScenario()
{
    Scenario s;
    s.name = tr("Untitled scenario").toStdString();
    s.run.duration = 1000;
    s.run.seed = 42;
    loadScenario(s, {}, {});
    statusBar()->showMessage(tr("New scenario: drag a producer, a queue and a consumer onto the canvas."), 6000);
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    QString dir = QFileInfo(document_->filePath()).absolutePath();
    if (document_->filePath().isEmpty())
        dir = QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Scenario"), dir,
                                                      tr("QueueLab scenarios (*.json);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::saveTo(const QString &path)
{
    std::string error;
    if (!saveScenarioFile(document_->scenario(), QDir::toNativeSeparators(path).toStdString(), &error)) {
        QMessageBox::critical(this, tr("Save Failed"), q(error));
        return false;
    }
    document_->setFilePath(QFileInfo(path).absoluteFilePath());
    document_->setClean();
    recentFiles_->add(path);
    statusBar()->showMessage(tr("Saved %1.").arg(QFileInfo(path).fileName()), 4000);
    updateTitle();
    return true;
}

bool MainWindow::confirmSaveWithErrors()
{
    const auto errors = diagnostics_.errors();
    if (errors.empty())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Save Scenario"),
                    tr("The scenario has %1. It will be saved, but it will not open again until "
                       "they are fixed.")
                        .arg(countText(qsizetype(errors.size()), "error", "errors")),
                    QMessageBox::Save | QMessageBox::Cancel, this);
    box.setDetailedText(q(diagnostics_.toString()));
    return box.exec() == QMessageBox::Save;
}

void MainWindow::save()
{
    if (document_->filePath().isEmpty()) {
        saveAs();
        return;
    }
    if (confirmSaveWithErrors())
        saveTo(document_->filePath());
}

void MainWindow::saveAs()
{
    QString suggestion = document_->filePath();
    if (suggestion.isEmpty()) {
        // An example's file name, else the scenario's name as a file name.
        QString base = document_->displayName().section(QLatin1Char(' '), 0, 0);
        if (!base.endsWith(QLatin1String(".json")))
            base = fileNameFor(document_->scenario().name);
        suggestion = QDir::home().filePath(base);
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save Scenario As"), suggestion,
                                                tr("QueueLab scenarios (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    if (confirmSaveWithErrors())
        saveTo(path);
}

bool MainWindow::maybeSave()
{
    if (!document_->isModified())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unsaved Changes"),
                    tr("%1 has changes that are not saved.").arg(document_->displayName()),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("unsavedChangesBox"));
    box.setInformativeText(tr("Save them before going on?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        if (document_->filePath().isEmpty())
            saveAs();
        else if (confirmSaveWithErrors())
            saveTo(document_->filePath());
        return !document_->isModified();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (maybeSave()) {
        writeSettings();
        event->accept();
    } else {
        event->ignore();
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (!urls.isEmpty() && urls.first().isLocalFile()
        && urls.first().toLocalFile().endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    const QString path = urls.first().toLocalFile();
    // Let the drag finish before a prompt or dialog appears.
    QTimer::singleShot(0, this, [this, path] {
        if (maybeSave())
            openFile(path);
    });
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (fitPending_) {
        QTimer::singleShot(0, this, [this] {
            if (!layoutRestored_ && !layoutFitted_) {
                layoutFitted_ = true;
                fitLayoutToTopology();
            }
            view_->fitToView();
            fitPending_ = false;
        });
    }
}

void MainWindow::fitLayoutToTopology()
{
    // The canvas gets what the topology needs at 100% (a 3-node line needs little), within
    // a third to a half of the height the canvas and the bottom docks share; the Results and
    // the charts below get the rest.
    if (!chartsDock_ || chartsDock_->isFloating() || !chartsDock_->isVisible())
        return;
    const QRectF items = view_->scene()->itemsBoundingRect();
    const int shared = view_->height() + chartsDock_->height();
    if (items.isEmpty() || shared <= 0)
        return;
    const double zoom = std::min(1.0, (view_->viewport()->width() - 60) / std::max(1.0, items.width()));
    const int needed = int(items.height() * zoom) + 120;
    // The left column beside the canvas holds the palette and the description: give it
    // room for both where the screen allows (up to 45%), else show them as tabs.
    const int palette = palette_->sizeHint().height() + 24;
    const int column = palette + descriptionDock_->minimumSizeHint().height() + 40;
    const int canvas = std::clamp(needed, std::max(shared / 3, std::min(column, shared * 45 / 100)), shared / 2);
    resizeDocks({chartsDock_}, {shared - canvas}, Qt::Vertical);
    if (!paletteDock_->isFloating() && !descriptionDock_->isFloating()
        && dockWidgetArea(paletteDock_) == dockWidgetArea(descriptionDock_)) {
        if (canvas < column && tabifiedDockWidgets(paletteDock_).isEmpty()) {
            // The description's tabs (Lessons) come along: one group, the palette in front.
            const QList<QDockWidget *> group = tabifiedDockWidgets(descriptionDock_);
            tabifyDockWidget(paletteDock_, descriptionDock_);
            for (QDockWidget *d : group)
                tabifyDockWidget(paletteDock_, d);
            paletteDock_->raise();
        } else {
            resizeDocks({paletteDock_}, {palette}, Qt::Vertical);
        }
    }
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] \u2014 QueueLab").arg(document_->displayName()));
    setWindowModified(document_->isModified());
}

// --- Editing -----------------------------------------------------------------------------

QString MainWindow::addNode(NodeKind kind, const QPointF &scenePos)
{
    return canvas_->addNode(kind, scenePos);
}

void MainWindow::updateCounts()
{
    const Scenario &s = document_->scenario();
    countLabel_->setText(countText(qsizetype(s.nodes.size()), "node", "nodes") + QStringLiteral(" \u00b7 ")
                         + countText(qsizetype(s.links.size()), "link", "links"));
}

void MainWindow::validate()
{
    diagnostics_ = validateScenario(document_->scenario(), document_->displayName().toStdString());
    view_->topologyScene()->setDiagnostics(diagnostics_);
    properties_->setDiagnostics(diagnostics_);
    const int errors = int(diagnostics_.errors().size());
    const int warnings = int(diagnostics_.warnings().size());
    if (errors) {
        problemsButton_->setIcon(themedIcon(QStringLiteral("error")));
        problemsButton_->setText(countText(errors, "error", "errors")
                                 + (warnings ? QStringLiteral(", ") + countText(warnings, "warning", "warnings") : QString()));
    } else if (warnings) {
        problemsButton_->setIcon(themedIcon(QStringLiteral("warning")));
        problemsButton_->setText(countText(warnings, "warning", "warnings"));
    } else {
        problemsButton_->setIcon(themedIcon(QStringLiteral("ok")));
        problemsButton_->setText(tr("No problems")); // not "ready to run": it stays while running
    }
    QStringList lines;
    for (const Diagnostic &d : diagnostics_.items)
        lines << q(d.message).toHtmlEscaped();
    problemsButton_->setToolTip(lines.isEmpty() ? tr("No problems found")
                                                : lines.mid(0, 10).join(QStringLiteral("<br>")));
}

void MainWindow::updateDescription()
{
    const Scenario &s = document_->scenario();
    descriptionTitle_->setText(s.name.empty() ? tr("Untitled scenario") : q(s.name));
    QString md;
    md += s.description.empty() ? tr("*No description. Select nothing on the canvas and write one "
                                     "in the Properties panel.*")
                                : q(s.description);
    description_->setMarkdown(md);
}

double MainWindow::speedForSliderValue(int value)
{
    if (value >= kSpeedSliderMax)
        return 0;
    return 0.1 * std::pow(10.0, std::max(0, value) / 10.0);
}

double MainWindow::speed() const
{
    return speed_;
}

void MainWindow::showSpeed(double simTimePerSecond)
{
    speed_ = simTimePerSecond > 0 ? simTimePerSecond : 0;
    {
        const QSignalBlocker block(speedSlider_);
        int position = kSpeedSliderMax;
        if (speed_ > 0)
            position = std::clamp(int(std::lround(10.0 * std::log10(speed_ / 0.1))), 0, kSpeedSliderMax - 1);
        speedSlider_->setValue(position);
    }
    updateRunControls();
}

void MainWindow::updateRunControls()
{
    const double s = speed();
    const QString unit = QLatin1String(timeUnitName(document_->scenario().timeUnit));
    if (s <= 0)
        speedLabel_->setText(tr("max"));
    else
        speedLabel_->setText(tr("%1 %2/s").arg(q(fmt::number(s >= 100 ? std::round(s) : s)), unit));
    updatingSeed_ = true;
    seedSpin_->setValue(double(document_->scenario().run.seed));
    updatingSeed_ = false;
}

// --- Theme and help ------------------------------------------------------------------------

bool MainWindow::isDarkTheme() const
{
    return darkAction_->isChecked();
}

void MainWindow::setDarkTheme(bool dark)
{
    if (darkAction_->isChecked() != dark) {
        darkAction_->setChecked(dark); // comes back here through toggled()
        return;
    }
    applyTheme(dark);
    validate(); // re-tints the status icon
    updateDescription();
    // Pages draw kind badges and previews in the palette's colours: show them again.
    properties_->setSelection(view_->topologyScene()->selectedNodeIds(),
                              view_->topologyScene()->selectedLinkIndexes());
}

void MainWindow::showShortcuts()
{
    QList<QAction *> run; // the Run menu as it is: live mode adds its actions there
    for (QAction *a : runMenu_->actions())
        if (!a->isSeparator() && !a->menu())
            run << a;
    QList<QAction *> lessons; // teaching mode: presenter view, Back, Next
    if (lessons_)
        lessons << lessons_->presenterAction() << lessons_->backAction() << lessons_->nextAction();
    const CanvasActions *c = canvas_;
    QList<QAction *> view{c->zoomInAction(), c->zoomOutAction(), c->actualSizeAction(), c->fitAction(),
                          c->autoLayoutAction()};
    if (narrative_)
        view << narrative_->showAction();
    ShortcutsDialog dialog({{tr("File"), {newAction_, openAction_, saveAction_, saveAsAction_, quitAction_}},
                            {tr("Edit"), {undoAction_, redoAction_, c->cutAction(), c->copyAction(),
                                          c->pasteAction(), c->duplicateAction(), c->deleteAction(),
                                          c->selectAllAction()}},
                            {tr("View"), view},
                            {tr("Run"), run}, {tr("Lessons"), lessons}},
                           this);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About QueueLab"),
        tr("<h3>QueueLab %1</h3>"
           "<p>A workbench for message-queue topologies: draw producers, exchanges, queues and "
           "consumers, simulate them, watch the messages flow and compare the results with "
           "queueing theory.</p>"
           "<p>Built with Qt %2 and QCustomPlot.</p>")
            .arg(QStringLiteral(QL_VERSION), QString::fromLatin1(qVersion())));
}

} // namespace ql
