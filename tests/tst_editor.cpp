// The topology editor as a user drives it: the real MainWindow on the offscreen platform,
// nodes added from the palette and moved with the mouse, links drawn by dragging (and
// refused with a reason), undo and redo from the keyboard, property values typed into the
// properties dock (invalid ones refused without touching the scenario), files saved and
// reopened, and broken files that change nothing.
#include "commands.h"
#include "linkitem.h"
#include "loaderrordialog.h"
#include "mainwindow.h"
#include "nodeitem.h"
#include "palettewidget.h"
#include "propertiesdock.h"
#include "propertyfield.h"
#include "scenariodocument.h"
#include "topologyscene.h"
#include "topologyview.h"

#include "scenario/scenarioio.h"

#include <QAction>
#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QWheelEvent>

using namespace ql;

namespace {

Node makeNode(const std::string &id, NodeKind kind)
{
    Node n;
    n.id = id;
    n.kind = kind;
    if (kind == NodeKind::Producer)
        n.interarrival = Distribution::exponential(1);
    if (kind == NodeKind::Consumer)
        n.service = Distribution::exponential(0.5);
    return n;
}

Link makeLink(const std::string &from, const std::string &to)
{
    Link l;
    l.from = from;
    l.to = to;
    return l;
}

// p -> q1 -> c, plus an exchange, a spare queue and a sink, spread out on the grid.
Scenario zoo()
{
    Scenario s;
    s.name = "zoo";
    s.run.duration = 100;
    s.nodes = {makeNode("p", NodeKind::Producer), makeNode("e", NodeKind::Exchange),
               makeNode("q1", NodeKind::Queue),   makeNode("q2", NodeKind::Queue),
               makeNode("c", NodeKind::Consumer), makeNode("s", NodeKind::Sink)};
    s.links = {makeLink("p", "q1"), makeLink("q1", "c")};
    s.layout = {{"p", {-300, 0}}, {"e", {-300, 200}}, {"q1", {0, 0}},
                {"q2", {0, 200}}, {"c", {300, 0}},    {"s", {300, 200}}};
    return s;
}

} // namespace

class TestEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void buildsATopologyWithMouseAndKeyboard();
    void refusesForbiddenLinksWithAReason_data();
    void refusesForbiddenLinksWithAReason();
    void dragOfSeveralNodesIsOneUndoStep();
    void rubberBandSelectsNodes();
    void deleteRemovesNodeAndLinksUndoRestoresThem();
    void copyPasteGivesNewIds();
    void refusesInvalidPropertyValues_data();
    void refusesInvalidPropertyValues();
    void everyNumericFieldRefusesBadValuesVisibly();
    void failureFieldsEditTheScenario();
    void validPropertyTypingIsOneUndoStep();
    void renameFollowsLinks();
    void secondOnwardLinkGetsProbabilities();
    void editsLinkProperties();
    void arrowKeysNudgeAsOneStep();
    void wheelZoomsAndMiddleDragPans();
    void linkToolDrawsFromNodeBody();
    void savesAndReopens();
    void brokenFileChangesNothing_data();
    void brokenFileChangesNothing();
    void unsavedChangesPromptCanCancel();
    void droppedJsonFileOpens();
    void canvasKeysStayOutOfTextFields();
    void dropFromPaletteAddsNodeAtDropPoint();
    void autoLayoutIsUndoable();
    void autoLayoutPlacesUnpositionedScenario();
    void zoomShortcuts();
    void everyExampleOpens();

private:
    QPoint viewPoint(const QPointF &scenePos) const;
    QPoint nodePoint(const QString &id) const;
    void drag(const QPoint &from, const QPoint &to, Qt::KeyboardModifiers modifiers = {});
    void load(const Scenario &s);
    PropertyField *field(const QString &name) const;
    void typeInto(QLineEdit *edit, const QString &text);
    const Scenario &scenario() const { return window_->document()->scenario(); }
    QUndoStack *stack() const { return window_->document()->undoStack(); }

    MainWindow *window_ = nullptr;
    TopologyView *view_ = nullptr;
    QTemporaryDir dir_;
};

void TestEditor::initTestCase()
{
    Q_INIT_RESOURCE(resources);
    QStandardPaths::setTestModeEnabled(true); // keep the user's QSettings out of it
    QApplication::setOrganizationName(QStringLiteral("QueueLabTest"));
    QApplication::setApplicationName(QStringLiteral("tst_editor"));
    QVERIFY(dir_.isValid());
}

void TestEditor::init()
{
    window_ = new MainWindow;
    window_->newScenario();
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_));
    window_->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(window_));
    view_ = window_->topologyView();
    QTest::qWait(1); // let the deferred fit-to-view run before we fix the zoom
    view_->resetZoom();
    view_->centerOn(0, 0);
}

void TestEditor::cleanup()
{
    if (window_)
        window_->document()->setClean(); // no prompt on close
    delete window_;
    window_ = nullptr;
}

QPoint TestEditor::viewPoint(const QPointF &scenePos) const
{
    return view_->mapFromScene(scenePos);
}

QPoint TestEditor::nodePoint(const QString &id) const
{
    NodeItem *item = view_->topologyScene()->nodeItem(id);
    return item ? viewPoint(item->pos()) : QPoint();
}

void TestEditor::drag(const QPoint &from, const QPoint &to, Qt::KeyboardModifiers modifiers)
{
    QWidget *vp = view_->viewport();
    QTest::mousePress(vp, Qt::LeftButton, modifiers, from);
    const int steps = 6;
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(vp, from + (to - from) * i / steps);
    QTest::mouseRelease(vp, Qt::LeftButton, modifiers, to);
}

void TestEditor::load(const Scenario &s)
{
    window_->document()->reset(s);
    view_->resetZoom();
    view_->centerOn(0, 100);
}

PropertyField *TestEditor::field(const QString &name) const
{
    return window_->propertiesDock()->findChild<PropertyField *>(QStringLiteral("field_") + name);
}

void TestEditor::typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// --- Building ------------------------------------------------------------------------------

void TestEditor::buildsATopologyWithMouseAndKeyboard()
{
    PaletteWidget *palette = window_->paletteWidget();
    TopologyScene *scene = view_->topologyScene();

    // Producer: click its palette tile (added at the centre), then drag it to the left.
    QTest::mouseClick(palette->tile(NodeKind::Producer), Qt::LeftButton);
    QCOMPARE(scenario().nodes.size(), std::size_t(1));
    QCOMPARE(scenario().nodes[0].kind, NodeKind::Producer);
    const QString producer = QString::fromStdString(scenario().nodes[0].id);
    drag(nodePoint(producer), viewPoint(QPointF(-240, 0)));
    QCOMPARE(window_->document()->nodePosition(producer.toStdString()).value(), QPointF(-240, 0));

    // Queue at the centre, consumer next to it (stepped down: the centre is taken), dragged right.
    QTest::mouseClick(palette->tile(NodeKind::Queue), Qt::LeftButton);
    QTest::mouseClick(palette->tile(NodeKind::Consumer), Qt::LeftButton);
    QCOMPARE(scenario().nodes.size(), std::size_t(3));
    const QString queue = QString::fromStdString(scenario().nodes[1].id);
    const QString consumer = QString::fromStdString(scenario().nodes[2].id);
    QVERIFY(queue != consumer);
    drag(nodePoint(consumer), viewPoint(QPointF(240, 0)));
    QCOMPARE(window_->document()->nodePosition(consumer.toStdString()).value(), QPointF(240, 0));

    // Link producer -> queue from the producer's port, queue -> consumer with Shift+drag.
    NodeItem *p = scene->nodeItem(producer);
    drag(viewPoint(p->mapToScene(p->portPosition())), nodePoint(queue));
    drag(nodePoint(queue), nodePoint(consumer), Qt::ShiftModifier);
    QCOMPARE(scenario().links.size(), std::size_t(2));
    QCOMPARE(scenario().links[0].from, producer.toStdString());
    QCOMPARE(scenario().links[0].to, queue.toStdString());
    QCOMPARE(scenario().links[1].from, queue.toStdString());
    QCOMPARE(scenario().links[1].to, consumer.toStdString());
    QVERIFY(!validateScenario(scenario()).hasErrors());
    QCOMPARE(scene->linkItems().size(), 2);

    // One undo step per action: 3 adds, 2 drags, 2 links.
    QCOMPARE(stack()->count(), 7);
    const Scenario built = scenario();

    // Ctrl+Z twice takes the links away, Ctrl+Shift+Z twice brings them back.
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier);
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(scenario().links.size(), std::size_t(0));
    QCOMPARE(scene->linkItems().size(), 0);
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(scenario(), built);
    QCOMPARE(scene->linkItems().size(), 2);

    // Undo everything: an empty canvas; redo everything: the same topology.
    while (stack()->canUndo())
        stack()->undo();
    QVERIFY(scenario().nodes.empty());
    QVERIFY(scene->nodeItems().isEmpty());
    while (stack()->canRedo())
        stack()->redo();
    QCOMPARE(scenario(), built);
    QCOMPARE(scene->nodeItems().size(), 3);
}

void TestEditor::refusesForbiddenLinksWithAReason_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("reason");
    QTest::newRow("producer to consumer") << "p" << "c" << "queue between them";
    QTest::newRow("into a producer") << "c" << "p" << "nothing links into a producer";
    QTest::newRow("out of a sink") << "s" << "q2" << "end of the line";
    QTest::newRow("queue to queue") << "q1" << "q2" << "delivers to consumers only";
    QTest::newRow("consumer on two queues") << "q2" << "c" << "already subscribes to queue";
    QTest::newRow("duplicate") << "q1" << "c" << "already linked";
    QTest::newRow("second producer link") << "p" << "q2" << "already publishes";
    QTest::newRow("exchange to consumer") << "e" << "c" << "routes to queues only";
}

void TestEditor::refusesForbiddenLinksWithAReason()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, reason);
    load(zoo());
    const Scenario before = scenario();
    const int steps = stack()->count();

    drag(nodePoint(from), nodePoint(to), Qt::ShiftModifier);

    QCOMPARE(scenario(), before);
    QCOMPARE(stack()->count(), steps);
    const QString message = window_->statusBar()->currentMessage();
    QVERIFY2(message.contains(reason), qPrintable(message));
}

void TestEditor::dragOfSeveralNodesIsOneUndoStep()
{
    load(zoo());
    const Scenario before = scenario();
    QWidget *vp = view_->viewport();
    QTest::mouseClick(vp, Qt::LeftButton, {}, nodePoint("q1"));
    QTest::mouseClick(vp, Qt::LeftButton, Qt::ControlModifier, nodePoint("q2"));
    QCOMPARE(view_->topologyScene()->selectedNodeIds(), QStringList({"q1", "q2"}));
    const int steps = stack()->count();

    drag(nodePoint("q1"), viewPoint(QPointF(100, 60)));

    QCOMPARE(stack()->count(), steps + 1);
    QCOMPARE(window_->document()->nodePosition("q1").value(), QPointF(100, 60));
    QCOMPARE(window_->document()->nodePosition("q2").value(), QPointF(100, 260));
    // The links followed the nodes.
    LinkItem *link = view_->topologyScene()->linkItem(0);
    QVERIFY(link->line().p2().x() > 30);

    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(scenario(), before);
    QCOMPARE(view_->topologyScene()->nodeItem("q2")->pos(), QPointF(0, 200));
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(window_->document()->nodePosition("q2").value(), QPointF(100, 260));
}

void TestEditor::rubberBandSelectsNodes()
{
    load(zoo());
    // From empty canvas above-left of q1 to below-right of q2: q1, q2 and their links' ends.
    drag(viewPoint(QPointF(-80, -60)), viewPoint(QPointF(80, 250)));
    const QStringList ids = view_->topologyScene()->selectedNodeIds();
    QCOMPARE(ids, QStringList({"q1", "q2"}));
    QCOMPARE(window_->propertiesDock()->page(), PropertiesDock::Page::Multiple);
}

void TestEditor::deleteRemovesNodeAndLinksUndoRestoresThem()
{
    load(zoo());
    const Scenario before = scenario();
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q1"));
    QCOMPARE(window_->propertiesDock()->page(), PropertiesDock::Page::Node);
    QTest::keyClick(view_->viewport(), Qt::Key_Delete);
    QVERIFY(!scenario().node("q1"));
    QVERIFY(scenario().links.empty());
    QVERIFY(!scenario().layout.count("q1"));
    QCOMPARE(stack()->undoText(), QStringLiteral("Delete \u201cq1\u201d"));
    QTest::keyClick(window_, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(scenario(), before);
    QCOMPARE(view_->topologyScene()->linkItems().size(), 2);
}

void TestEditor::copyPasteGivesNewIds()
{
    load(zoo());
    QWidget *vp = view_->viewport();
    QTest::mouseClick(vp, Qt::LeftButton, {}, nodePoint("q1"));
    QTest::mouseClick(vp, Qt::LeftButton, Qt::ControlModifier, nodePoint("c"));
    QTest::keyClick(window_, Qt::Key_C, Qt::ControlModifier);
    const int steps = stack()->count();
    QTest::keyClick(window_, Qt::Key_V, Qt::ControlModifier);

    QCOMPARE(stack()->count(), steps + 1);
    QCOMPARE(scenario().nodes.size(), std::size_t(8));
    QVERIFY(scenario().node("q1-2"));
    QVERIFY(scenario().node("c-2"));
    // The link between the copied nodes is copied too, between the copies.
    QCOMPARE(scenario().links.size(), std::size_t(3));
    QCOMPARE(scenario().links[2].from, std::string("q1-2"));
    QCOMPARE(scenario().links[2].to, std::string("c-2"));
    QCOMPARE(view_->topologyScene()->selectedNodeIds(), QStringList({"q1-2", "c-2"}));
    QVERIFY(!validateScenario(scenario()).hasErrors());

    // Pasting again gives yet other ids.
    QTest::keyClick(window_, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(scenario().node("q1-3"));
    QVERIFY(scenario().node("c-3"));
}

// --- Properties ------------------------------------------------------------------------------

void TestEditor::refusesInvalidPropertyValues_data()
{
    QTest::addColumn<QString>("node"); // empty: the scenario page
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reason");
    QTest::newRow("negative service mean") << "c" << "service.mean" << "-1" << "must be > 0";
    QTest::newRow("service mean not a number") << "c" << "service.mean" << "abc" << "not a number";
    QTest::newRow("zero interarrival mean") << "p" << "interarrival.mean" << "0" << "must be > 0";
    QTest::newRow("no servers") << "c" << "servers" << "0" << "between 1";
    QTest::newRow("negative capacity") << "q1" << "capacity" << "-5" << "must be >= 0";
    QTest::newRow("fractional prefetch") << "c" << "prefetch" << "1.5" << "whole number";
    QTest::newRow("duplicate id") << "q1" << "id" << "q2" << "already the id";
    QTest::newRow("bad id") << "q1" << "id" << "a b" << "only letters";
    QTest::newRow("negative duration") << "" << "run.duration" << "-10" << "must be > 0";
    QTest::newRow("negative warm-up") << "" << "run.warmup" << "-3" << "must be >= 0";
    QTest::newRow("no replications") << "" << "run.replications" << "0" << "between 1";
}

void TestEditor::refusesInvalidPropertyValues()
{
    QFETCH(QString, node);
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, reason);
    load(zoo());
    if (!node.isEmpty())
        QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint(node));
    QCOMPARE(window_->propertiesDock()->page(),
             node.isEmpty() ? PropertiesDock::Page::Scenario : PropertiesDock::Page::Node);
    const Scenario before = scenario();
    const int steps = stack()->count();

    PropertyField *f = this->field(field);
    QVERIFY2(f, qPrintable(field));
    QVERIFY(f->isVisible());
    typeInto(f->lineEdit(), text);
    if (field == QLatin1String("id"))
        QTest::keyClick(f->lineEdit(), Qt::Key_Return);

    QVERIFY2(f->error().contains(reason), qPrintable(f->error()));
    auto *label = f->findChild<QLabel *>(field + QStringLiteral("_error"));
    QVERIFY(label && label->isVisible());
    QCOMPARE(scenario(), before);
    QCOMPARE(stack()->count(), steps);
}

void TestEditor::everyNumericFieldRefusesBadValuesVisibly()
{
    // Every node kind, with its optional extensions on so their fields show too.
    Scenario s = zoo();
    s.nodes[0].messageTtl = Distribution::exponential(30);
    s.nodes[2].queueType = QueueType::Quorum;
    s.nodes[2].deliveryLimit = 5;
    s.nodes[2].queueTtl = 60;
    s.nodes.push_back(makeNode("d", NodeKind::Delay));
    s.nodes.back().delay = Distribution::exponential(2);
    s.layout["d"] = {-300, 400};
    const QStringList notNumbers = {QStringLiteral("id"), QStringLiteral("routing_key")};
    int checked = 0;
    for (const char *id : {"p", "q1", "c", "d"}) {
        load(s);
        QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint(QString::fromLatin1(id)));
        QCOMPARE(window_->propertiesDock()->page(), PropertiesDock::Page::Node);
        QWidget *page = window_->propertiesDock()->findChild<QWidget *>(QStringLiteral("nodePage"));
        QVERIFY(page);
        auto visibleSections = [page] {
            QStringList names;
            for (QLabel *l : page->findChildren<QLabel *>(QStringLiteral("section")))
                if (l->isVisible())
                    names << l->text();
            return names;
        };
        const QStringList sections = visibleSections();
        QVERIFY2(!sections.isEmpty(), id);
        QList<PropertyField *> fields;
        for (PropertyField *f : page->findChildren<PropertyField *>())
            if (f->isVisible() && !notNumbers.contains(f->lineEdit()->objectName()))
                fields << f;
        QVERIFY2(!fields.isEmpty(), id);
        for (PropertyField *f : fields) {
            const QString name = f->lineEdit()->objectName();
            for (const QString &text : {QStringLiteral("abc"), QStringLiteral("-1"), QStringLiteral("-")}) {
                const Scenario before = scenario();
                const int steps = stack()->count();
                // Typed over the selected value: no empty text between (empty is "none"
                // for optional fields, a valid value).
                f->lineEdit()->setFocus();
                f->lineEdit()->selectAll();
                QTest::keyClicks(f->lineEdit(), text);
                const QString where = QStringLiteral("%1 %2 \u201c%3\u201d").arg(QLatin1String(id), name, text);
                QVERIFY2(f->hasError(), qPrintable(where));
                auto *label = f->findChild<QLabel *>(name + QStringLiteral("_error"));
                QVERIFY2(label && label->isVisible() && !label->text().isEmpty(), qPrintable(where));
                QVERIFY2(f->lineEdit()->palette().color(QPalette::Text) != page->palette().color(QPalette::Text),
                         qPrintable(where + QStringLiteral(": not red")));
                QCOMPARE(visibleSections(), sections);
                QVERIFY2(f->isVisible(), qPrintable(where + QStringLiteral(": the field went")));
                QVERIFY2(scenario() == before, qPrintable(where + QStringLiteral(": the scenario changed")));
                QCOMPARE(stack()->count(), steps);
                QTest::qWait(20); // the page's layout settles
                QVERIFY2(f->lineEdit()->height() >= f->lineEdit()->minimumSizeHint().height(),
                         qPrintable(where + QStringLiteral(": the field is squeezed")));
                QCOMPARE(visibleSections(), sections);
                if (!qEnvironmentVariableIsEmpty("QL_FIELD_SHOTS") && text == QLatin1String("-"))
                    window_->propertiesDock()->grab().save(QStringLiteral("%1/%2-%3.png")
                                                               .arg(qEnvironmentVariable("QL_FIELD_SHOTS"), QLatin1String(id), name));
                ++checked;
            }
            // Selecting the node again shows the document's values again.
            window_->propertiesDock()->setSelection({QString::fromLatin1(id)}, {});
        }
    }
    QCOMPARE(checked, 3 * 13); // 4 producer fields, 3 queue, 5 consumer, 1 delay
}

void TestEditor::failureFieldsEditTheScenario()
{
    load(zoo());
    // Producer: a message TTL, on with its checkbox, then its mean typed.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("p"));
    auto *ttlOn = window_->propertiesDock()->findChild<QAbstractButton *>(QStringLiteral("message_ttl_enabled"));
    QVERIFY(ttlOn && ttlOn->isVisible() && !ttlOn->isChecked());
    QVERIFY(!field(QStringLiteral("message_ttl.mean"))->isVisible());
    ttlOn->click();
    QVERIFY(scenario().node("p")->messageTtl.has_value());
    typeInto(field(QStringLiteral("message_ttl.mean"))->lineEdit(), QStringLiteral("12"));
    QCOMPARE(scenario().node("p")->messageTtl->mean, 12.0);
    ttlOn->click();
    QVERIFY(!scenario().node("p")->messageTtl.has_value());
    stack()->undo();
    QVERIFY(scenario().node("p")->messageTtl.has_value());

    // Queue: TTL, quorum type, then its delivery limit (enabled only for quorum), overflow.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q1"));
    typeInto(field(QStringLiteral("message_ttl"))->lineEdit(), QStringLiteral("45"));
    QCOMPARE(scenario().node("q1")->queueTtl, std::optional<double>(45));
    PropertyField *limit = field(QStringLiteral("delivery_limit"));
    QVERIFY(limit->isVisible() && !limit->isEnabled());
    auto *type = window_->propertiesDock()->findChild<QComboBox *>(QStringLiteral("queue_type"));
    QVERIFY(type);
    type->setCurrentIndex(type->findData(int(QueueType::Quorum)));
    emit type->activated(type->currentIndex());
    QCOMPARE(scenario().node("q1")->queueType, QueueType::Quorum);
    QVERIFY(limit->isEnabled());
    typeInto(limit->lineEdit(), QStringLiteral("3"));
    QCOMPARE(scenario().node("q1")->deliveryLimit, std::optional<std::int64_t>(3));
    auto *overflow = window_->propertiesDock()->findChild<QComboBox *>(QStringLiteral("overflow"));
    const int dlx = overflow->findData(int(Overflow::RejectPublishDlx));
    QVERIFY(dlx >= 0);
    overflow->setCurrentIndex(dlx);
    emit overflow->activated(dlx);
    QCOMPARE(scenario().node("q1")->overflow, Overflow::RejectPublishDlx);

    // Consumer: reject and requeue probabilities, and their sum checked.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("c"));
    typeInto(field(QStringLiteral("reject_probability"))->lineEdit(), QStringLiteral("0.1"));
    QCOMPARE(scenario().node("c")->rejectProbability, 0.1);
    typeInto(field(QStringLiteral("requeue_probability"))->lineEdit(), QStringLiteral("0.2"));
    QCOMPARE(scenario().node("c")->requeueProbability, 0.2);
    const Scenario before = scenario();
    typeInto(field(QStringLiteral("requeue_probability"))->lineEdit(), QStringLiteral("2"));
    QVERIFY(field(QStringLiteral("requeue_probability"))->hasError());
    QCOMPARE(scenario(), before);
}

void TestEditor::validPropertyTypingIsOneUndoStep()
{
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("c"));
    const Scenario before = scenario();
    const int steps = stack()->count();
    PropertyField *f = field(QStringLiteral("service.mean"));
    typeInto(f->lineEdit(), QStringLiteral("0.75"));
    QVERIFY(!f->hasError());
    QCOMPARE(scenario().node("c")->service.mean, 0.75);
    QCOMPARE(stack()->count(), steps + 1); // "0.7" and "0.75" merged; "0" and "0." refused
    // The canvas label follows.
    QCOMPARE(view_->topologyScene()->nodeItem("c")->node().service.mean, 0.75);
    QTest::keyClick(view_->viewport(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(scenario(), before);
    // The dock shows the undone value.
    QCOMPARE(f->text(), QStringLiteral("0.5"));

    // Switching the distribution kind keeps the mean and is one step too.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("c"));
    auto *combo = window_->propertiesDock()->findChild<QComboBox *>(QStringLiteral("service.dist"));
    QVERIFY(combo);
    const int erlang = combo->findData(int(DistKind::Erlang));
    combo->setCurrentIndex(erlang);
    emit combo->activated(erlang);
    QCOMPARE(scenario().node("c")->service.kind, DistKind::Erlang);
    QCOMPARE(scenario().node("c")->service.expectation(), 0.5);
    QVERIFY(field(QStringLiteral("service.k"))->isVisible());
}

void TestEditor::renameFollowsLinks()
{
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q1"));
    PropertyField *f = field(QStringLiteral("id"));
    typeInto(f->lineEdit(), QStringLiteral("orders"));
    QTest::keyClick(f->lineEdit(), Qt::Key_Return);
    QVERIFY(scenario().node("orders"));
    QCOMPARE(scenario().links[0].to, std::string("orders"));
    QCOMPARE(scenario().links[1].from, std::string("orders"));
    QVERIFY(scenario().layout.count("orders"));
    QVERIFY(view_->topologyScene()->nodeItem("orders")->isSelected());
    QCOMPARE(window_->propertiesDock()->nodeId(), QStringLiteral("orders"));
    stack()->undo();
    QCOMPARE(scenario(), zoo());
}

void TestEditor::secondOnwardLinkGetsProbabilities()
{
    Scenario s = zoo();
    s.links.push_back(makeLink("c", "s"));
    load(s);
    drag(nodePoint("c"), nodePoint("q2"), Qt::ShiftModifier);
    QCOMPARE(scenario().links.size(), std::size_t(4));
    QCOMPARE(scenario().links[2].probability.value(), 0.5);
    QCOMPARE(scenario().links[3].probability.value(), 0.5);
    QVERIFY(!validateScenario(scenario()).hasErrors());
    stack()->undo(); // one step: the new link and the probability of the old one
    QCOMPARE(scenario(), s);
}

void TestEditor::editsLinkProperties()
{
    Scenario s = zoo();
    s.nodes[1].exchangeType = ExchangeType::Topic;
    s.links = {makeLink("p", "e"), makeLink("e", "q1"), makeLink("q1", "c"), makeLink("c", "s")};
    load(s);
    TopologyScene *scene = view_->topologyScene();

    // Binding key of e -> q1: typed, applied as one step, shown on the arrow.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, viewPoint(scene->linkItem(1)->line().pointAt(0.3)));
    QCOMPARE(window_->propertiesDock()->page(), PropertiesDock::Page::Link);
    QCOMPARE(window_->propertiesDock()->linkIndex(), 1);
    const int steps = stack()->count();
    typeInto(field(QStringLiteral("binding_key"))->lineEdit(), QStringLiteral("order.*"));
    QCOMPARE(scenario().links[1].bindingKey, std::string("order.*"));
    QCOMPARE(stack()->count(), steps + 1);
    QCOMPARE(scene->linkItem(1)->label(), QStringLiteral("order.*"));

    // Probability of c -> s: 7 is refused, 0.25 applied.
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, viewPoint(scene->linkItem(3)->line().pointAt(0.3)));
    QCOMPARE(window_->propertiesDock()->linkIndex(), 3);
    const Scenario before = scenario();
    PropertyField *p = field(QStringLiteral("probability"));
    QVERIFY(p->isVisible());
    QVERIFY(!field(QStringLiteral("binding_key"))->isVisible());
    typeInto(p->lineEdit(), QStringLiteral("7"));
    QVERIFY2(p->error().contains(QStringLiteral("between 0 and 1")), qPrintable(p->error()));
    QCOMPARE(scenario(), before);
    typeInto(p->lineEdit(), QStringLiteral("0.25"));
    QVERIFY(!p->hasError());
    QCOMPARE(scenario().links[3].probability.value(), 0.25);
    QCOMPARE(scene->linkItem(3)->label(), QStringLiteral("p 0.25"));
}

void TestEditor::arrowKeysNudgeAsOneStep()
{
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q2"));
    const int steps = stack()->count();
    QTest::keyClick(view_->viewport(), Qt::Key_Right);
    QTest::keyClick(view_->viewport(), Qt::Key_Right);
    QTest::keyClick(view_->viewport(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(window_->document()->nodePosition("q2").value(), QPointF(40, 300));
    QCOMPARE(stack()->count(), steps + 1);
    stack()->undo();
    QCOMPARE(window_->document()->nodePosition("q2").value(), QPointF(0, 200));
}

void TestEditor::wheelZoomsAndMiddleDragPans()
{
    load(zoo());
    QWidget *vp = view_->viewport();
    const QPoint at = nodePoint("c");
    const double z = view_->zoom();
    QWheelEvent wheel(QPointF(at), QPointF(vp->mapToGlobal(at)), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(vp, &wheel);
    QVERIFY(view_->zoom() > z);
    // Zoom about the cursor: the node under it stays under it.
    QVERIFY((nodePoint("c") - at).manhattanLength() <= 2);

    const QPointF centreBefore = view_->visibleCentre();
    QTest::mousePress(vp, Qt::MiddleButton, {}, QPoint(300, 300));
    QTest::mouseMove(vp, QPoint(340, 320));
    QTest::mouseMove(vp, QPoint(400, 350));
    QTest::mouseRelease(vp, Qt::MiddleButton, {}, QPoint(400, 350));
    const QPointF moved = view_->visibleCentre() - centreBefore;
    QVERIFY(moved.x() < -50);
    QVERIFY(moved.y() < -25);
    QCOMPARE(scenario(), zoo()); // panning edits nothing
}

void TestEditor::linkToolDrawsFromNodeBody()
{
    load(zoo());
    QAction *tool = window_->findChild<QAction *>(QStringLiteral("actionLinkTool"));
    QVERIFY(tool);
    tool->trigger();
    drag(nodePoint("q2") + QPoint(-30, -10), nodePoint("c") + QPoint(-20, 0));
    // q2 -> c is refused (c already subscribes to q1); with the tool the nodes stay put.
    QCOMPARE(window_->document()->nodePosition("q2").value(), QPointF(0, 200));
    QVERIFY(window_->statusBar()->currentMessage().contains(QStringLiteral("already subscribes")));
    drag(nodePoint("c"), nodePoint("s"));
    QCOMPARE(scenario().links.size(), std::size_t(3));
    QCOMPARE(scenario().links[2].to, std::string("s"));
    tool->trigger();
    QVERIFY(!view_->topologyScene()->linkMode());
}

// --- Files ------------------------------------------------------------------------------------

void TestEditor::savesAndReopens()
{
    Scenario s = zoo();
    s.nodes[4].service = Distribution::exponential(0.25);
    load(s);
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("c"));
    typeInto(field(QStringLiteral("servers"))->lineEdit(), QStringLiteral("3"));
    QVERIFY(window_->document()->isModified());
    QVERIFY(window_->isWindowModified());
    const Scenario edited = scenario();

    const QString path = dir_.filePath(QStringLiteral("saved.json"));
    QVERIFY(window_->saveTo(path));
    QVERIFY(!window_->document()->isModified());
    QVERIFY(window_->windowTitle().contains(QStringLiteral("saved.json")));
    const LoadResult reread = loadScenarioFile(path.toStdString());
    QVERIFY(reread.scenario);
    QCOMPARE(*reread.scenario, edited);

    window_->newScenario();
    QVERIFY(scenario().nodes.empty());
    QVERIFY(window_->openFile(path));
    QCOMPARE(scenario(), edited);
    QCOMPARE(window_->document()->filePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(!window_->document()->isModified());
    QCOMPARE(view_->topologyScene()->nodeItems().size(), int(edited.nodes.size()));
}

void TestEditor::brokenFileChangesNothing_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: the file does not exist
    QTest::newRow("missing file") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("{ \"format\": \"queuelab-scenario\", nodes: [");
    QTest::newRow("unknown kind and bad mean")
        << QByteArray(R"({"format": "queuelab-scenario", "version": 1, "name": "x",
                          "run": {"duration": 10},
                          "nodes": [{"id": "a", "kind": "router"},
                                    {"id": "c", "kind": "consumer",
                                     "service": {"dist": "exponential", "mean": -1}}],
                          "links": []})");
    QTest::newRow("consumer on two queues")
        << QByteArray(R"({"format": "queuelab-scenario", "version": 1, "name": "x",
                          "run": {"duration": 10},
                          "nodes": [{"id": "p", "kind": "producer",
                                     "interarrival": {"dist": "exponential", "mean": 1}},
                                    {"id": "q1", "kind": "queue"}, {"id": "q2", "kind": "queue"},
                                    {"id": "c", "kind": "consumer",
                                     "service": {"dist": "exponential", "mean": 1}}],
                          "links": [{"from": "p", "to": "q1"}, {"from": "q1", "to": "c"},
                                    {"from": "q2", "to": "c"}]})");
}

void TestEditor::brokenFileChangesNothing()
{
    QFETCH(QByteArray, content);
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q1"));
    QTest::keyClick(view_->viewport(), Qt::Key_Delete); // something to undo
    const Scenario before = scenario();
    const int steps = stack()->count();
    const QString pathBefore = window_->document()->filePath();
    const QString title = window_->windowTitle();

    const QString path = dir_.filePath(QStringLiteral("broken-%1.json").arg(QTest::currentDataTag()).replace(' ', '-'));
    if (!content.isEmpty()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    QVERIFY(!window_->openFile(path));

    QCOMPARE(scenario(), before);
    QCOMPARE(stack()->count(), steps);
    QCOMPARE(window_->document()->filePath(), pathBefore);
    QCOMPARE(window_->windowTitle(), title);
    // The dialog lists every message the loader gave.
    LoadErrorDialog *dialog = window_->loadErrorDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    const LoadResult result = loadScenarioFile(path.toStdString());
    QVERIFY(result.diagnostics.hasErrors());
    auto *text = dialog->findChild<QPlainTextEdit *>(QStringLiteral("loadErrorMessages"));
    QVERIFY(text);
    for (const Diagnostic &d : result.diagnostics.items)
        QVERIFY2(text->toPlainText().contains(QString::fromStdString(d.message)), d.message.c_str());
    dialog->close();
}

void TestEditor::unsavedChangesPromptCanCancel()
{
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("q1"));
    QTest::keyClick(view_->viewport(), Qt::Key_Delete);
    QVERIFY(window_->document()->isModified());
    bool prompted = false;
    QTimer::singleShot(0, this, [&prompted] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("unsavedChangesBox"));
        prompted = true;
        box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!window_->maybeSave());
    QVERIFY(prompted);
    QVERIFY(window_->document()->isModified());
}

void TestEditor::droppedJsonFileOpens()
{
    const QString path = dir_.filePath(QStringLiteral("dropped.json"));
    std::string error;
    QVERIFY(saveScenarioFile(zoo(), path.toStdString(), &error));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QWidget *vp = view_->viewport(); // dropped onto the canvas, handled by the window
    const QPoint at(200, 200);
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &drop);
    QTRY_COMPARE(window_->document()->filePath(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(scenario(), zoo());
}

void TestEditor::canvasKeysStayOutOfTextFields()
{
    load(zoo());
    QTest::mouseClick(view_->viewport(), Qt::LeftButton, {}, nodePoint("p"));
    auto *table = window_->propertiesDock()->findChild<QTableWidget *>(QStringLiteral("headers_table"));
    QVERIFY(table && table->isVisible());
    table->setFocus();
    QTest::keyClick(table, Qt::Key_Backspace);
    QTest::keyClick(table, Qt::Key_Delete);
    QVERIFY(scenario().node("p")); // still there
    PropertyField *mean = field(QStringLiteral("interarrival.mean"));
    mean->lineEdit()->setFocus();
    QTest::keyClick(mean->lineEdit(), Qt::Key_A, Qt::ControlModifier);
    QTest::keyClick(mean->lineEdit(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(view_->topologyScene()->selectedNodeIds(), QStringList({"p"}));
    QCOMPARE(scenario(), zoo());
}

// --- Canvas ----------------------------------------------------------------------------------

void TestEditor::dropFromPaletteAddsNodeAtDropPoint()
{
    QWidget *vp = view_->viewport();
    const QPoint at = viewPoint(QPointF(163, -78));
    QMimeData mime;
    mime.setData(QLatin1String(TopologyView::NodeKindMimeType), "queue");
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &enter);
    QVERIFY(enter.isAccepted());
    QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &move);
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, {});
    QApplication::sendEvent(vp, &drop);
    QCOMPARE(scenario().nodes.size(), std::size_t(1));
    QCOMPARE(scenario().nodes[0].kind, NodeKind::Queue);
    QCOMPARE(window_->document()->nodePosition(scenario().nodes[0].id).value(), QPointF(160, -80));
    QCOMPARE(stack()->count(), 1);
}

void TestEditor::autoLayoutIsUndoable()
{
    Scenario s = zoo();
    s.layout = {{"p", {500, 500}}, {"e", {-40, 20}}, {"q1", {80, -300}},
                {"q2", {0, 0}},    {"c", {-500, 40}}, {"s", {20, 600}}};
    load(s);
    window_->findChild<QAction *>(QStringLiteral("actionAutoLayout"))->trigger();
    const auto p = window_->document()->nodePosition("p").value();
    const auto q1 = window_->document()->nodePosition("q1").value();
    const auto c = window_->document()->nodePosition("c").value();
    QVERIFY(p.x() < q1.x());
    QVERIFY(q1.x() < c.x());
    QCOMPARE(stack()->undoText(), QStringLiteral("Auto layout"));
    stack()->undo();
    QCOMPARE(scenario(), s);
}

void TestEditor::autoLayoutPlacesUnpositionedScenario()
{
    const QString path = dir_.filePath(QStringLiteral("nolayout.json"));
    Scenario s = zoo();
    s.layout.clear();
    std::string error;
    QVERIFY(saveScenarioFile(s, path.toStdString(), &error));
    QVERIFY(window_->openFile(path));
    QCOMPARE(scenario().layout.size(), s.nodes.size());
    const auto x = [this](const char *id) { return window_->document()->nodePosition(id)->x(); };
    QVERIFY(x("p") < x("q1"));
    QVERIFY(x("q1") < x("c"));
    QVERIFY(!window_->document()->isModified());
}

void TestEditor::zoomShortcuts()
{
    load(zoo());
    const double z = view_->zoom();
    QTest::keyClick(window_, Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(view_->zoom() > z);
    QTest::keyClick(window_, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(window_, Qt::Key_Minus, Qt::ControlModifier);
    QVERIFY(view_->zoom() < z);
    QTest::keyClick(window_, Qt::Key_0, Qt::ControlModifier);
    // Fit to view: every node is visible.
    const QRectF visible = view_->mapToScene(view_->viewport()->rect()).boundingRect();
    QVERIFY(visible.contains(view_->topologyScene()->nodesBoundingRect()));
}

void TestEditor::everyExampleOpens()
{
    const auto examples = MainWindow::examples();
    QVERIFY(examples.size() >= 6);
    for (const auto &[path, name] : examples) {
        QVERIFY2(window_->openExample(path), qPrintable(path));
        QCOMPARE(QString::fromStdString(scenario().name), name);
        QVERIFY(!window_->document()->isModified());
        QCOMPARE(view_->topologyScene()->nodeItems().size(), int(scenario().nodes.size()));
    }
}

QTEST_MAIN(TestEditor)
#include "tst_editor.moc"
