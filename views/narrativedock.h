// The Narrative dock of teaching mode: the event narrative (sim/narrator.h) as a list a
// student can read, search and follow. "Show" picks what it follows: every event, the nodes
// selected on the canvas, or one message (#17: typed, double-clicked in the list, or picked
// by clicking its token on the canvas). A search field filters by text; Auto-scroll keeps
// the newest line in view until the student scrolls up to read; Clear empties it. When the
// run is too fast to tell in words, a banner says so and says how slow it has to be.
//
// The list is a QListView over a model of the narrator's ring buffer (never a text widget
// that grows without end), filtered by a proxy on the lines' structured fields. The dock
// shows what it is given; NarrativeCoordinator (app/) decides when lines arrive.
#pragma once

#include "sim/narrator.h"

#include <QAbstractListModel>
#include <QDockWidget>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <cstdint>
#include <limits>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QModelIndex;
class QToolButton;

namespace ql {

// The narrator's lines as rows, oldest first. It shows lines up to a sequence number it is
// told (the coordinator holds lines back until the animation shows their events) and drops
// the rows the narrator's ring has let go.
class NarrativeModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        TimeRole = Qt::UserRole + 1, // double
        MessageRole,                 // quint64, 0 for notes
        OriginalRole,                // quint64: the message a fanout copy copies
        NodeRole,                    // int, -1 for none
        OtherRole,                   // int, -1 for none
        KindRole,                    // int, a NarrativeLine::Kind
        SeqRole,                     // quint64
        NodeKindRole,                // int, a NodeKind of the line's node; -1 for none
    };

    explicit NarrativeModel(QObject *parent = nullptr);

    void setNarrator(const Narrator *narrator); // resets
    const Narrator *narrator() const { return narrator_; }
    // Shows the narrator's lines with seq < `end` (all of them by default).
    void sync(std::uint64_t end = std::numeric_limits<std::uint64_t>::max());
    // After the narrator was cleared: no rows until the next sync().
    void reset();
    const NarrativeLine *lineAt(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    const Narrator *narrator_ = nullptr;
    std::uint64_t first_ = 0; // seq of row 0
    int count_ = 0;
};

// Filters the lines: by message (its copies too), by a set of nodes, by text. Notes about
// the narrative itself always pass.
class NarrativeFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit NarrativeFilter(QObject *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return text_; }
    void setMessage(quint64 msg); // 0: any
    quint64 message() const { return message_; }
    // `active` false: any node; true: lines that involve one of `nodes` (none: no line).
    void setNodes(const QSet<int> &nodes, bool active);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString text_;
    quint64 message_ = 0;
    QSet<int> nodes_;
    bool nodesActive_ = false;
};

class NarrativeDock : public QDockWidget
{
    Q_OBJECT
public:
    enum class Follow { Everything, SelectedNodes, Message };
    Q_ENUM(Follow)

    explicit NarrativeDock(QWidget *parent = nullptr);

    void setNarrator(const Narrator *narrator);
    NarrativeModel *model() const { return model_; }
    NarrativeFilter *filter() const { return filter_; }
    QListView *listView() const { return list_; }
    // Lines shown after filtering, and their texts (tests).
    int visibleLineCount() const;
    QStringList visibleLines() const;

    // The narrator has lines up to `end` to show (see NarrativeModel::sync()).
    void showLines(std::uint64_t end = std::numeric_limits<std::uint64_t>::max());
    // The narrator was cleared (a new run).
    void resetLines();

    Follow follow() const { return follow_; }
    void setFollow(Follow follow);
    quint64 followedMessage() const { return follow_ == Follow::Message ? message_ : 0; }
    // Shows only this message's story (and its copies'); remembers what was shown before.
    void followMessage(quint64 msg);
    // Back to what was shown before following a message.
    void stopFollowingMessage();
    // The nodes selected on the canvas (indexes and ids), for Follow::SelectedNodes.
    void setSelectedNodes(const QList<int> &nodes, const QStringList &ids);

    void setFilterText(const QString &text);
    bool autoScroll() const;
    void setAutoScroll(bool on);
    // The run is too fast to tell: `message` says why and what to do; false hides it.
    void setPaused(bool paused, const QString &message = {});
    bool isPaused() const { return paused_; }
    QString bannerText() const;

signals:
    // The message shown highlighted on the canvas changed (0: none).
    void followedMessageChanged(quint64 msg);
    // A line was clicked: its node (-1 for none) and message (0 for none).
    void lineClicked(int node, quint64 msg);
    void clearRequested();

private:
    void applyFilter();
    void updateStatus();
    void scrollToEnd();
    void onFollowChosen(int index);
    void onMessageEdited();

    const Narrator *narrator_ = nullptr;
    NarrativeModel *model_;
    NarrativeFilter *filter_;
    QListView *list_;
    QComboBox *followBox_;
    QLineEdit *messageEdit_;
    QLineEdit *search_;
    QToolButton *autoScroll_;
    QToolButton *clear_;
    QLabel *banner_;
    QLabel *status_;

    Follow follow_ = Follow::Everything;
    Follow beforeMessage_ = Follow::Everything;
    quint64 message_ = 0;
    QSet<int> selected_;
    QStringList selectedIds_;
    bool paused_ = false;
    bool updating_ = false;
};

} // namespace ql
