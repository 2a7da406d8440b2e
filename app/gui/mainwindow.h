// QueueLab's main window: the topology canvas in the middle, the palette of node kinds on
// the left with the scenario's description, the properties and the undo history on the
// right, the charts at the bottom; File, Edit, View, Run and Help menus, the tool bars and
// a status bar that says what the mouse can do and what is wrong with the scenario.
//
// The window owns the ScenarioDocument and turns the properties' requests (set this value,
// rename this node) into undo commands; the canvas's edits (add, link, move, the clipboard,
// zoom, layout) are CanvasActions', whose actions the Edit and View menus show. Running is
// not done here: the Run tool bar's actions (actionRun, actionPause, actionStep,
// actionReset), the speed slider and the charts dock are placeholders the run controller
// is wired to.
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
    QDockWidget *chartsDock() const { return chartsDock_; }
    CanvasActions *canvasActions() const { return canvas_; }
    RunCoordinator *runCoordinator() const { return run_; }
    QToolBar *runToolBar() const { return runToolBar_; }
    QMenu *runMenu() const { return runMenu_; }
    // File > Export (hidden until someone adds actions to it).
    QMenu *exportMenu() const { return exportMenu_; }
    QMenu *viewMenu() const { return viewMenu_; }
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
    QTextBrowser *description_ = nullptr;
    QLabel *descriptionTitle_ = nullptr;
    QUndoView *undoView_ = nullptr;
    QToolBar *fileToolBar_ = nullptr;
    QToolBar *editToolBar_ = nullptr;
    QToolBar *viewToolBar_ = nullptr;
    QToolBar *runToolBar_ = nullptr;
    QMenu *exampleMenu_ = nullptr;
    QMenu *exportMenu_ = nullptr;
    QMenu *viewMenu_ = nullptr;
    QMenu *runMenu_ = nullptr;
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
    bool updatingSeed_ = false;
};

} // namespace ql
