// The main window: menus, tool bars, docks, files, and the views' requests turned into undo
// commands (see mainwindow.h).
#include "mainwindow.h"

#include "apptheme.h"
#include "autolayout.h"
#include "canvasmetrics.h"
#include "commands.h"
#include "linkitem.h"
#include "lessoncoordinator.h"
#include "loaderrordialog.h"
#include "narrativecoordinator.h"
#include "recentfiles.h"
#include "runcoordinator.h"
#include "shortcutsdialog.h"
#include "nodeitem.h"
#include "palettewidget.h"
#include "propertiesdock.h"
#include "scenariodocument.h"
#include "themedicon.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "scenario/scenarioio.h"
#include "topology/nodekinds.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
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
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QUuid>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

constexpr int kSpeedSliderMax = 60; // the run controller's slider scale: 0.1 .. 100,000, then max
const char *const kFragmentMimeType = "application/x-queuelab-fragment";

// "1 node", "3 nodes" (the program ships no translations, so %n plurals stay English).
QString count(qsizetype n, const char *one, const char *many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QAction *makeAction(QObject *parent, const QString &name, const QString &text, const QString &icon,
                    const QString &tip)
{
    auto *a = new QAction(text, parent);
    a->setObjectName(name);
    if (!icon.isEmpty())
        a->setIcon(themedIcon(icon));
    a->setStatusTip(tip);
    a->setToolTip(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("...")));
    return a;
}

// Standard keys first, then the ones users of other desktops expect, without duplicates
// (the same key twice on one action would be an ambiguous shortcut).
QList<QKeySequence> shortcuts(std::initializer_list<QKeySequence> keys)
{
    QList<QKeySequence> out;
    for (const QKeySequence &k : keys)
        if (!k.isEmpty() && !out.contains(k))
            out.append(k);
    return out;
}

// "Undo" tool tips that name the shortcut, as desktop tools do.
void addShortcutToToolTip(QAction *a)
{
    if (!a->shortcut().isEmpty())
        a->setToolTip(QStringLiteral("%1 <span style='color:gray'>%2</span>")
                          .arg(a->toolTip(), a->shortcut().toString(QKeySequence::NativeText)));
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
    resizeDocks({paletteDock_, properties_}, {240, 350}, Qt::Horizontal);
    resizeDocks({chartsDock_}, {200}, Qt::Vertical);
    resizeDocks({paletteDock_, descriptionDock_}, {palette_->sizeHint().height() + 24, 400}, Qt::Vertical);
    readSettings();
    updateTitle();
    updateEditActions();
    validate();
    // Running, animation, charts and exports: wired onto the editor in one place.
    run_ = new RunCoordinator(this);
    // Teaching mode: the Lessons dock, questions and the presenter view (after running).
    new LessonCoordinator(this);
    // Teaching mode: the event narrative dock and token picking on the canvas.
    new NarrativeCoordinator(this);
}

MainWindow::~MainWindow()
{
    // The views hold the document and may still report edits while they are torn down (a
    // focused field emits editingFinished): take them down first, the document last.
    const QList<QDockWidget *> docks = findChildren<QDockWidget *>(Qt::FindDirectChildrenOnly);
    qDeleteAll(docks);
    delete view_;
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

    cutAction_ = makeAction(this, QStringLiteral("actionCut"), tr("Cu&t"), QStringLiteral("edit-cut"),
                            tr("Remove the selected nodes and links and put them on the clipboard"));
    cutAction_->setShortcut(QKeySequence::Cut);
    connect(cutAction_, &QAction::triggered, this, &MainWindow::cutSelection);
    copyAction_ = makeAction(this, QStringLiteral("actionCopy"), tr("&Copy"), QStringLiteral("edit-copy"),
                             tr("Copy the selected nodes with the links between them"));
    copyAction_->setShortcut(QKeySequence::Copy);
    connect(copyAction_, &QAction::triggered, this, &MainWindow::copySelection);
    pasteAction_ = makeAction(this, QStringLiteral("actionPaste"), tr("&Paste"), QStringLiteral("edit-paste"),
                              tr("Paste the copied nodes with new ids"));
    pasteAction_->setShortcut(QKeySequence::Paste);
    connect(pasteAction_, &QAction::triggered, this, &MainWindow::paste);
    duplicateAction_ = makeAction(this, QStringLiteral("actionDuplicate"), tr("D&uplicate"), {},
                                  tr("Copy and paste the selection in one step"));
    duplicateAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+D")));
    connect(duplicateAction_, &QAction::triggered, this, &MainWindow::duplicate);
    deleteAction_ = makeAction(this, QStringLiteral("actionDelete"), tr("&Delete"), QStringLiteral("edit-delete"),
                               tr("Delete the selected nodes and links"));
    deleteAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::Delete), QKeySequence(Qt::Key_Delete),
                                            QKeySequence(Qt::Key_Backspace)}));
    connect(deleteAction_, &QAction::triggered, this, [this] { deleteSelection(); });
    selectAllAction_ = makeAction(this, QStringLiteral("actionSelectAll"), tr("Select &All"),
                                  QStringLiteral("edit-select-all"), tr("Select every node and link"));
    selectAllAction_->setShortcut(QKeySequence::SelectAll);
    connect(selectAllAction_, &QAction::triggered, this, [this] {
        view_->topologyScene()->selectAllItems();
    });

    zoomInAction_ = makeAction(this, QStringLiteral("actionZoomIn"), tr("Zoom &In"), QStringLiteral("zoom-in"),
                               tr("Zoom in on the canvas"));
    zoomInAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::ZoomIn), QKeySequence(QStringLiteral("Ctrl++")),
                                            QKeySequence(QStringLiteral("Ctrl+="))}));
    connect(zoomInAction_, &QAction::triggered, view_, &TopologyView::zoomIn);
    zoomOutAction_ = makeAction(this, QStringLiteral("actionZoomOut"), tr("Zoom &Out"), QStringLiteral("zoom-out"),
                                tr("Zoom out of the canvas"));
    zoomOutAction_->setShortcuts(shortcuts({QKeySequence(QKeySequence::ZoomOut), QKeySequence(QStringLiteral("Ctrl+-"))}));
    connect(zoomOutAction_, &QAction::triggered, view_, &TopologyView::zoomOut);
    zoomResetAction_ = makeAction(this, QStringLiteral("actionActualSize"), tr("&Actual Size"),
                                  QStringLiteral("zoom-original"), tr("Show the canvas at 100 %"));
    zoomResetAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+1")));
    connect(zoomResetAction_, &QAction::triggered, view_, &TopologyView::resetZoom);
    fitAction_ = makeAction(this, QStringLiteral("actionFit"), tr("&Fit to View"), QStringLiteral("zoom-fit"),
                            tr("Zoom so that the whole topology is visible"));
    fitAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+0")));
    connect(fitAction_, &QAction::triggered, view_, &TopologyView::fitToView);

    gridAction_ = makeAction(this, QStringLiteral("actionGrid"), tr("Show &Grid"), QStringLiteral("view-grid"),
                             tr("Show the grid on the canvas"));
    gridAction_->setCheckable(true);
    gridAction_->setChecked(true);
    connect(gridAction_, &QAction::toggled, this,
            [this](bool on) { view_->topologyScene()->setGridVisible(on); });
    snapAction_ = makeAction(this, QStringLiteral("actionSnap"), tr("&Snap to Grid"), {},
                             tr("Dragged nodes snap to the grid"));
    snapAction_->setCheckable(true);
    snapAction_->setChecked(true);
    connect(snapAction_, &QAction::toggled, this,
            [this](bool on) { view_->topologyScene()->setSnapToGrid(on); });
    linkToolAction_ = makeAction(this, QStringLiteral("actionLinkTool"), tr("&Link Tool"),
                                 QStringLiteral("link-tool"),
                                 tr("Drag from one node to another to link them (or Shift+drag, "
                                    "or drag from a node's port)"));
    linkToolAction_->setCheckable(true);
    connect(linkToolAction_, &QAction::toggled, this, [this](bool on) {
        view_->topologyScene()->setLinkMode(on);
        statusBar()->showMessage(on ? tr("Link tool: drag from a node to the node it sends to.")
                                    : tr("Select tool."),
                                 4000);
    });
    layoutAction_ = makeAction(this, QStringLiteral("actionAutoLayout"), tr("Auto &Layout"),
                               QStringLiteral("auto-layout"),
                               tr("Arrange the nodes left to right by their distance from the producers"));
    layoutAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    connect(layoutAction_, &QAction::triggered, this, &MainWindow::autoLayout);
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

    // Clipboard, delete and select-all keys act on the canvas only: Backspace in the headers
    // table of the properties dock must not delete the selected node.
    for (QAction *a : {cutAction_, copyAction_, pasteAction_, duplicateAction_, deleteAction_,
                       selectAllAction_}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        view_->addAction(a);
    }

    for (QAction *a : {newAction_, openAction_, saveAction_, undoAction_, redoAction_, cutAction_,
                       copyAction_, pasteAction_, deleteAction_, zoomInAction_, zoomOutAction_,
                       fitAction_, layoutAction_, runAction_, pauseAction_, stepAction_, resetAction_})
        addShortcutToToolTip(a);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->setObjectName(QStringLiteral("menuFile"));
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
    edit->addAction(cutAction_);
    edit->addAction(copyAction_);
    edit->addAction(pasteAction_);
    edit->addAction(duplicateAction_);
    edit->addAction(deleteAction_);
    edit->addSeparator();
    edit->addAction(selectAllAction_);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    viewMenu_->setObjectName(QStringLiteral("menuView"));
    viewMenu_->addAction(zoomInAction_);
    viewMenu_->addAction(zoomOutAction_);
    viewMenu_->addAction(zoomResetAction_);
    viewMenu_->addAction(fitAction_);
    viewMenu_->addSeparator();
    viewMenu_->addAction(gridAction_);
    viewMenu_->addAction(snapAction_);
    viewMenu_->addAction(linkToolAction_);
    viewMenu_->addAction(layoutAction_);
    viewMenu_->addSeparator();
    QMenu *panels = viewMenu_->addMenu(tr("&Panels"));
    panels->setObjectName(QStringLiteral("menuPanels"));
    for (QDockWidget *dock : {paletteDock_, descriptionDock_, static_cast<QDockWidget *>(properties_),
                              historyDock_, chartsDock_})
        panels->addAction(dock->toggleViewAction());
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

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->setObjectName(QStringLiteral("menuHelp"));
    help->addAction(shortcutsAction_);
    help->addSeparator();
    help->addAction(aboutAction_);
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
    editToolBar_->addAction(deleteAction_);

    viewToolBar_ = makeBar(QStringLiteral("viewToolBar"), tr("View"));
    viewToolBar_->addAction(linkToolAction_);
    viewToolBar_->addAction(layoutAction_);
    viewToolBar_->addAction(gridAction_);
    viewToolBar_->addSeparator();
    viewToolBar_->addAction(zoomOutAction_);
    viewToolBar_->addAction(zoomInAction_);
    viewToolBar_->addAction(fitAction_);

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
    speedLabel_->setMinimumWidth(64);
    speedLayout->addWidget(speedTitle);
    speedLayout->addWidget(speedSlider_);
    speedLayout->addWidget(speedLabel_);
    speedBox->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    runToolBar_->addWidget(speedBox);
    connect(speedSlider_, &QSlider::valueChanged, this, [this] {
        updateRunControls();
        emit speedChanged(speed());
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
    paletteDock_->setWidget(palette_);
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

    connect(palette_, &PaletteWidget::addRequested, this, [this](NodeKind kind) {
        addNode(kind, view_->visibleCentre());
    });
    connect(view_, &TopologyView::nodeDropRequested, this,
            [this](NodeKind kind, const QPointF &pos) { addNode(kind, pos); });
    connect(scene, &TopologyScene::linkRequested, this, [this](const QString &from, const QString &to) {
        document_->undoStack()->push(makeAddLinkCommand(document_, from, to));
        statusBar()->showMessage(tr("Linked %1 \u2192 %2.").arg(from, to), 4000);
        view_->topologyScene()->selectItems({}, {int(document_->scenario().links.size()) - 1});
    });
    connect(scene, &TopologyScene::linkRefused, this, [this](const QString &reason) {
        statusBar()->showMessage(tr("Link refused: %1").arg(reason), 8000);
    });
    connect(scene, &TopologyScene::statusHint, this,
            [this](const QString &text) { statusBar()->showMessage(text, 6000); });
    connect(scene, &TopologyScene::nodesMoved, this, [this](const QList<NodeMove> &moves) {
        document_->undoStack()->push(new MoveNodesCommand(document_, moves, {}));
    });
    connect(view_, &TopologyView::nudgeRequested, this, [this](const QList<NodeMove> &moves) {
        document_->undoStack()->push(new MoveNodesCommand(document_, moves, tr("Nudge"), true));
    });
    connect(scene, &QGraphicsScene::selectionChanged, this, [this] {
        properties_->setSelection(view_->topologyScene()->selectedNodeIds(),
                                  view_->topologyScene()->selectedLinkIndexes());
        updateEditActions();
    });
    connect(view_, &TopologyView::zoomChanged, this, [this](double z) {
        zoomLabel_->setText(QStringLiteral("%1 %").arg(std::lround(z * 100)));
    });
    zoomLabel_->setText(QStringLiteral("100 %"));

    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QWidget::customContextMenuRequested, this, &MainWindow::showCanvasMenu);

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
        updateEditActions();
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
    connect(QApplication::clipboard(), &QClipboard::dataChanged, this, &MainWindow::updateEditActions);
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
        restoreState(state);
    gridAction_->setChecked(settings.value(QStringLiteral("view/grid"), true).toBool());
    snapAction_->setChecked(settings.value(QStringLiteral("view/snap"), true).toBool());
    darkAction_->setChecked(settings.value(QStringLiteral("view/darkTheme"), false).toBool());
}

void MainWindow::writeSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("view/grid"), gridAction_->isChecked());
    settings.setValue(QStringLiteral("view/snap"), snapAction_->isChecked());
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
    pasteCount_ = 0;
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
    statusBar()->showMessage(warnings ? tr("Opened %1 (%2).").arg(name, count(warnings, "warning", "warnings"))
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
                        .arg(count(qsizetype(errors.size()), "error", "errors")),
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
        QString base = document_->displayName().section(QLatin1Char(' '), 0, 0);
        if (!base.endsWith(QLatin1String(".json")))
            base = QStringLiteral("scenario.json");
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
            view_->fitToView();
            fitPending_ = false;
        });
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
    Node node = makeDefaultNode(document_, kind);
    // Do not drop a node exactly onto another one: step down until there is room.
    QPointF pos = snapToGrid(scenePos);
    for (int tries = 0; tries < 50; ++tries) {
        bool free = true;
        for (const auto &[id, p] : document_->scenario().layout)
            if (std::abs(p.first - pos.x()) < NodeSize.width() && std::abs(p.second - pos.y()) < NodeSize.height() + 10)
                free = false;
        if (free)
            break;
        pos += QPointF(0, LayoutRowPitch / 1.5);
        pos = snapToGrid(pos);
    }
    const QString id = q(node.id);
    document_->undoStack()->push(new InsertItemsCommand(
        document_, {node}, {pos}, {},
        tr("Add %1 \u201c%2\u201d").arg(NodeItem::kindTitle(kind).toLower(), id)));
    view_->topologyScene()->selectItems({id});
    view_->ensureVisible(QRectF(pos - QPointF(70, 40), QSizeF(140, 80)));
    view_->setFocus(); // Delete, arrows and the clipboard keys now act on the new node
    statusBar()->showMessage(tr("Added %1 \u201c%2\u201d. Drag from its right-hand port to link it.")
                                 .arg(NodeItem::kindTitle(kind).toLower(), id),
                             5000);
    return id;
}

void MainWindow::showCanvasMenu(const QPoint &pos)
{
    TopologyScene *scene = view_->topologyScene();
    const QPointF scenePos = view_->mapToScene(pos);
    // Right-clicking an item that is not selected acts on that item alone.
    QGraphicsItem *hit = nullptr;
    for (QGraphicsItem *item : scene->items(scenePos)) {
        if (qgraphicsitem_cast<NodeItem *>(item) || qgraphicsitem_cast<LinkItem *>(item)) {
            hit = item;
            break;
        }
    }
    if (hit && !hit->isSelected()) {
        scene->clearSelection();
        hit->setSelected(true);
    }
    QMenu menu(this);
    QMenu *add = menu.addMenu(tr("Add Node Here"));
    for (const NodeKindInfo &info : nodeKinds()) {
        const NodeKind kind = info.kind;
        add->addAction(NodeItem::kindTitle(kind), this, [this, kind, scenePos] { addNode(kind, scenePos); });
    }
    menu.addSeparator();
    for (QAction *a : {cutAction_, copyAction_, pasteAction_, duplicateAction_, deleteAction_})
        menu.addAction(a);
    menu.addSeparator();
    menu.addAction(selectAllAction_);
    menu.addAction(layoutAction_);
    menu.addAction(fitAction_);
    menu.exec(view_->viewport()->mapToGlobal(pos));
}

void MainWindow::copySelection()
{
    const QStringList ids = view_->topologyScene()->selectedNodeIds();
    if (ids.isEmpty())
        return;
    clipboard_ = copyFragment(document_->scenario(), ids);
    clipboardTag_ = QUuid::createUuid().toString();
    pasteCount_ = 0;
    // The system clipboard gets the fragment as scenario JSON text (for a text editor) and a
    // tag that says the fragment held here is still the current clipboard content.
    auto *mime = new QMimeData;
    mime->setData(QLatin1String(kFragmentMimeType), clipboardTag_.toUtf8());
    mime->setText(QString::fromStdString(scenarioToJson(clipboard_)));
    QApplication::clipboard()->setMimeData(mime);
    statusBar()->showMessage(tr("Copied %1.").arg(count(qsizetype(clipboard_.nodes.size()), "node", "nodes")), 3000);
    updateEditActions();
}

void MainWindow::cutSelection()
{
    if (view_->topologyScene()->selectedNodeIds().isEmpty())
        return;
    copySelection();
    deleteSelection(tr("Cut %1").arg(count(qsizetype(clipboard_.nodes.size()), "node", "nodes")));
}

bool MainWindow::canPaste() const
{
    const QMimeData *mime = QApplication::clipboard()->mimeData();
    return mime && !clipboard_.nodes.empty()
           && QString::fromUtf8(mime->data(QLatin1String(kFragmentMimeType))) == clipboardTag_;
}

void MainWindow::paste()
{
    if (!canPaste())
        return;
    ++pasteCount_;
    // Each paste of one copy lands a little further down and right.
    const QPointF offset(2 * GridSize * pasteCount_, 2 * GridSize * pasteCount_);
    InsertItemsCommand *command = makePasteCommand(document_, clipboard_, offset);
    const QStringList ids = command->nodeIds();
    document_->undoStack()->push(command);
    view_->topologyScene()->selectItems(ids);
    statusBar()->showMessage(tr("Pasted %1 with new ids.").arg(count(ids.size(), "node", "nodes")), 3000);
}

void MainWindow::duplicate()
{
    copySelection();
    paste();
}

void MainWindow::deleteSelection(const QString &text)
{
    TopologyScene *scene = view_->topologyScene();
    auto *command = new RemoveItemsCommand(document_, scene->selectedNodeIds(), scene->selectedLinkIndexes());
    if (command->isEmpty()) {
        delete command;
        return;
    }
    if (!text.isEmpty())
        command->setText(text);
    document_->undoStack()->push(command);
}

void MainWindow::autoLayout()
{
    QUndoCommand *command = makeAutoLayoutCommand(document_);
    if (!command) {
        statusBar()->showMessage(tr("The layout is already tidy."), 3000);
        return;
    }
    document_->undoStack()->push(command);
    view_->fitToView();
}

void MainWindow::updateEditActions()
{
    TopologyScene *scene = view_->topologyScene();
    const bool nodes = !scene->selectedNodeIds().isEmpty();
    const bool any = nodes || !scene->selectedLinkIndexes().isEmpty();
    cutAction_->setEnabled(nodes);
    copyAction_->setEnabled(nodes);
    duplicateAction_->setEnabled(nodes);
    deleteAction_->setEnabled(any);
    pasteAction_->setEnabled(canPaste());
    const Scenario &s = document_->scenario();
    countLabel_->setText(count(qsizetype(s.nodes.size()), "node", "nodes") + QStringLiteral(" \u00b7 ")
                         + count(qsizetype(s.links.size()), "link", "links"));
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
        problemsButton_->setText(count(errors, "error", "errors")
                                 + (warnings ? QStringLiteral(", ") + count(warnings, "warning", "warnings") : QString()));
    } else if (warnings) {
        problemsButton_->setIcon(themedIcon(QStringLiteral("warning")));
        problemsButton_->setText(count(warnings, "warning", "warnings"));
    } else {
        problemsButton_->setIcon(themedIcon(QStringLiteral("ok")));
        problemsButton_->setText(tr("Ready to run"));
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
    return speedForSliderValue(speedSlider_->value());
}

void MainWindow::updateRunControls()
{
    const double s = speed();
    const QString unit = QLatin1String(timeUnitName(document_->scenario().timeUnit));
    if (s <= 0)
        speedLabel_->setText(tr("max"));
    else
        speedLabel_->setText(tr("%1 %2/s").arg(s >= 100 ? QString::number(std::round(s), 'f', 0)
                                                        : QString::number(s, 'g', 2),
                                               unit));
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
    QList<QAction *> lessons; // teaching mode (LessonCoordinator): presenter view, Back, Next
    for (const char *name : {"actionPresenterView", "actionLessonBack", "actionLessonNext"})
        if (auto *a = findChild<QAction *>(QLatin1String(name)))
            lessons << a;
    QList<QAction *> view{zoomInAction_, zoomOutAction_, zoomResetAction_, fitAction_, layoutAction_};
    if (auto *a = findChild<QAction *>(QStringLiteral("actionShowNarrative"))) // NarrativeCoordinator
        view << a;
    ShortcutsDialog dialog({{tr("File"), {newAction_, openAction_, saveAction_, saveAsAction_, quitAction_}},
                            {tr("Edit"), {undoAction_, redoAction_, cutAction_, copyAction_, pasteAction_,
                                          duplicateAction_, deleteAction_, selectAllAction_}},
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
