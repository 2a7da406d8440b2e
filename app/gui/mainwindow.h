// QueueLab's main window: the topology canvas in the middle, the palette of node kinds on
// the left with the scenario's description, the properties and the undo history on the
// right, the charts at the bottom; File, Edit, View, Run and Help menus, the tool bars and
// a status bar that says what the mouse can do and what is wrong with the scenario.
//
// The window owns the ScenarioDocument and turns the properties' requests (set this value,
// rename this node) into undo commands; the canvas's edits (add, link, move, the clipboard,
// zoom, layout) are CanvasActions', whose actions the Edit and View menus show. Running is
// not done here: the Run tool bar's actions (runAction(), pauseAction(), stepAction(),
// resetAction()), the speed slider and the charts dock are placeholders the run controller
// is wired to. The coordinators reach the menus, docks and actions they extend through the
// typed accessors below, never by object name (the names stay for tests and settings).
#pragma once

#include "loaderrordialog.h"
#include "scenario/diagnostic.h"
#include "scenario/scenario.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QSlider;
class QTextBrowser;
class QToolButton;
class QUndoView;

namespace ql {

class CanvasActions;
class LessonCoordinator;
class NarrativeCoordinator;
class PaletteWidget;
class RunCoordinator;
class RecentFiles;
class PropertiesDock;
class ScenarioDocument;
class TopologyView;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    ScenarioDocument *document() const { return document_; }
    TopologyView *topologyView() const { return view_; }
    PropertiesDock *propertiesDock() const { return properties_; }
    PaletteWidget *paletteWidget() const { return palette_; }
    QDockWidget *paletteDock() const { return paletteDock_; }
    QDockWidget *descriptionDock() const { return descriptionDock_; }
    QDockWidget *historyDock() const { return historyDock_; }
    QDockWidget *chartsDock() const { return chartsDock_; }
    // Every dock of the window, its own and the coordinators', in the order they were made.
    QList<QDockWidget *> dockWidgets() const;
    CanvasActions *canvasActions() const { return canvas_; }
    // The coordinators the window makes; null while the window is being built.
    RunCoordinator *runCoordinator() const { return run_; }
    LessonCoordinator *lessonCoordinator() const { return lessons_; }
    NarrativeCoordinator *narrativeCoordinator() const { return narrative_; }
    QToolBar *runToolBar() const { return runToolBar_; }
    QMenu *fileMenu() const { return fileMenu_; }
    QMenu *examplesMenu() const { return exampleMenu_; } // File > Open Example
    // File > Export (hidden until someone adds actions to it).
    QMenu *exportMenu() const { return exportMenu_; }
    QMenu *viewMenu() const { return viewMenu_; }
    QMenu *panelsMenu() const { return panelsMenu_; } // View > Panels: a dock's toggle goes here
    QMenu *runMenu() const { return runMenu_; }
    QMenu *helpMenu() const { return helpMenu_; }
    // The Run tool bar's actions; the RunCoordinator connects them to the run controller.
    QAction *runAction() const { return runAction_; }
    QAction *pauseAction() const { return pauseAction_; }
    QAction *stepAction() const { return stepAction_; }
    QAction *resetAction() const { return resetAction_; }
    QSlider *speedSlider() const { return speedSlider_; }
    const Diagnostics &diagnostics() const { return diagnostics_; }
    // The last load error dialog, while it is open (tests read it).
    LoadErrorDialog *loadErrorDialog() const { return loadErrorDialog_; }

    // File operations without dialogs or prompts, as the menus use them after asking.
    // openFile() shows the loader's messages and changes nothing when the file is refused.
    bool openFile(const QString &path);
    bool openExample(const QString &resourcePath); // e.g. ":/scenarios/hello.json"
    bool saveTo(const QString &path);
    void newScenario();
    // The built-in examples as (resource path, scenario name), sorted by name.
    static QList<QPair<QString, QString>> examples();

    // Simulated time units per wall second for a speed slider position (0 = fastest).
    static double speedForSliderValue(int value);
    double speed() const;
    // Shows `simTimePerSecond` as the speed (slider at the nearest position, the label exact)
    // without emitting speedChanged: the run controller calls it for every source of speed.
    void showSpeed(double simTimePerSecond);
    bool isDarkTheme() const;
    void setDarkTheme(bool dark);

    // Adds a node of `kind` centred at `scenePos` (snapped), as one undo step; returns its id.
    QString addNode(NodeKind kind, const QPointF &scenePos);
    // Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();

signals:
    void speedChanged(double simTimePerSecond);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createToolBars();
    void createDocks();
    void createStatusBar();
    void connectViews();
    void readSettings();
    void writeSettings();

    void loadScenario(Scenario scenario, const QString &path, const QString &displayName);
    void open();
    void save();
    void saveAs();
    bool confirmSaveWithErrors();
    void updateTitle();
    void updateCounts();
    void validate();
    void updateDescription();
    void updateRunControls();
    void fitLayoutToTopology();

    void showShortcuts();
    void showAbout();

    ScenarioDocument *document_;
    TopologyView *view_;
    PaletteWidget *palette_ = nullptr;
    PropertiesDock *properties_ = nullptr;
    QDockWidget *paletteDock_ = nullptr;
    QDockWidget *descriptionDock_ = nullptr;
    QDockWidget *historyDock_ = nullptr;
    QDockWidget *chartsDock_ = nullptr;
    CanvasActions *canvas_ = nullptr;
    RunCoordinator *run_ = nullptr;
    LessonCoordinator *lessons_ = nullptr;
    NarrativeCoordinator *narrative_ = nullptr;
    QTextBrowser *description_ = nullptr;
    QLabel *descriptionTitle_ = nullptr;
    QUndoView *undoView_ = nullptr;
    QToolBar *fileToolBar_ = nullptr;
    QToolBar *editToolBar_ = nullptr;
    QToolBar *viewToolBar_ = nullptr;
    QToolBar *runToolBar_ = nullptr;
    QMenu *fileMenu_ = nullptr;
    QMenu *exampleMenu_ = nullptr;
    QMenu *exportMenu_ = nullptr;
    QMenu *viewMenu_ = nullptr;
    QMenu *panelsMenu_ = nullptr;
    QMenu *runMenu_ = nullptr;
    QMenu *helpMenu_ = nullptr;
    QSlider *speedSlider_ = nullptr;
    QLabel *speedLabel_ = nullptr;
    QDoubleSpinBox *seedSpin_ = nullptr;
    QToolButton *problemsButton_ = nullptr;
    QLabel *zoomLabel_ = nullptr;
    QLabel *countLabel_ = nullptr;
    QPointer<LoadErrorDialog> loadErrorDialog_;
    RecentFiles *recentFiles_ = nullptr;

    QAction *newAction_ = nullptr;
    QAction *openAction_ = nullptr;
    QAction *saveAction_ = nullptr;
    QAction *saveAsAction_ = nullptr;
    QAction *quitAction_ = nullptr;
    QAction *undoAction_ = nullptr;
    QAction *redoAction_ = nullptr;
    QAction *darkAction_ = nullptr;
    QAction *runAction_ = nullptr;
    QAction *pauseAction_ = nullptr;
    QAction *stepAction_ = nullptr;
    QAction *resetAction_ = nullptr;
    QAction *shortcutsAction_ = nullptr;
    QAction *aboutAction_ = nullptr;

    Diagnostics diagnostics_;
    bool fitPending_ = true;
    bool layoutRestored_ = false; // the user's saved dock layout wins over fitting
    bool layoutFitted_ = false;
    double speed_ = 10; // what the controller runs at: the slider's, or one set elsewhere
    bool updatingSeed_ = false;
};

} // namespace ql
