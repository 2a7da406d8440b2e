// The Narrative dock, its list model and its filter (see narrativedock.h).
#include "narrativedock.h"

#include "canvasmetrics.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPainter>
#include <QScrollBar>
#include <QShortcut>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace ql {

namespace {

QColor mutedText(const QPalette &pal)
{
    QColor c = pal.color(QPalette::Text);
    c.setAlphaF(0.55f);
    return c;
}

// Draws a line as two columns: the time, right-aligned in a column as wide as the widest
// time seen so far (so the sentences start at one edge), and the sentence, elided.
class LineDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        const QWidget *widget = opt.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

        const int kind = index.data(NarrativeModel::KindRole).toInt();
        const bool selected = opt.state & QStyle::State_Selected;
        const QPalette &pal = opt.palette;
        QColor main = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
        QColor muted = selected ? main : mutedText(pal);
        if (!selected && (kind == NarrativeLine::Dropped || kind == NarrativeLine::Unroutable))
            main = canvasColors(pal).error;
        QFont font = opt.font;
        if (kind == NarrativeLine::Note) {
            font.setItalic(true);
            main = muted;
        }
        const int split = text.indexOf(QLatin1String(": "));
        const QString time = split > 0 ? text.left(split) : QString();
        const QString sentence = split > 0 ? text.mid(split + 2) : text;
        const QFontMetrics fm(font);
        QRect r = opt.rect.adjusted(6, 0, -6, 0);
        timeWidth_ = std::max(timeWidth_, fm.horizontalAdvance(time));
        painter->save();
        // A dot in the colour of the node kind where it happened, as on the canvas and the
        // palette: the eye finds the queue lines or the consumer lines without reading.
        const int nodeKind = index.data(NarrativeModel::NodeKindRole).toInt();
        if (nodeKind >= 0) {
            const double d = 7;
            painter->setRenderHint(QPainter::Antialiasing);
            painter->setPen(Qt::NoPen);
            painter->setBrush(kindColor(NodeKind(nodeKind), isDarkPalette(pal)));
            painter->drawEllipse(QRectF(r.left(), r.center().y() - d / 2 + 0.5, d, d));
        }
        r.setLeft(r.left() + 15);
        painter->setFont(font);
        painter->setPen(muted);
        painter->drawText(QRect(r.left(), r.top(), timeWidth_, r.height()), Qt::AlignRight | Qt::AlignVCenter, time);
        const int x = r.left() + timeWidth_ + 10;
        painter->setPen(main);
        painter->drawText(QRect(x, r.top(), std::max(0, r.right() - x), r.height()), Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(sentence, Qt::ElideRight, std::max(0, r.right() - x)));
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return QSize(200, option.fontMetrics.height() + 6);
    }

    void resetColumns() { timeWidth_ = 0; }

private:
    mutable int timeWidth_ = 0;
};

// A list that says what will appear in it while it is empty.
class NarrativeList : public QListView
{
public:
    using QListView::QListView;
    void setPlaceholder(const QString &text)
    {
        if (text == placeholder_)
            return;
        placeholder_ = text;
        viewport()->update();
    }

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QListView::paintEvent(event);
        if (!model() || model()->rowCount() > 0 || placeholder_.isEmpty())
            return;
        QPainter p(viewport());
        p.setPen(mutedText(palette()));
        p.drawText(viewport()->rect().adjusted(24, 12, -24, -12), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    }

private:
    QString placeholder_;
};

} // namespace

// --- NarrativeModel ------------------------------------------------------------------------

NarrativeModel::NarrativeModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void NarrativeModel::setNarrator(const Narrator *narrator)
{
    beginResetModel();
    narrator_ = narrator;
    first_ = narrator ? narrator->firstSeq() : 0;
    count_ = 0;
    endResetModel();
}

void NarrativeModel::reset()
{
    beginResetModel();
    first_ = narrator_ ? narrator_->firstSeq() : 0;
    count_ = 0;
    endResetModel();
}

void NarrativeModel::sync(std::uint64_t end)
{
    if (!narrator_)
        return;
    end = std::min(end, narrator_->nextSeq());
    const std::uint64_t oldest = narrator_->firstSeq();
    // Rows whose lines the ring has let go (or Clear removed) leave from the top.
    if (count_ > 0 && oldest > first_) {
        if (oldest >= first_ + std::uint64_t(count_)) {
            beginResetModel();
            first_ = oldest;
            count_ = 0;
            endResetModel();
        } else {
            const int gone = int(oldest - first_);
            beginRemoveRows(QModelIndex(), 0, gone - 1);
            first_ = oldest;
            count_ -= gone;
            endRemoveRows();
        }
    }
    if (count_ == 0)
        first_ = std::max(first_, oldest);
    const std::uint64_t shownEnd = first_ + std::uint64_t(count_);
    if (end > shownEnd) {
        const int added = int(end - shownEnd);
        beginInsertRows(QModelIndex(), count_, count_ + added - 1);
        count_ += added;
        endInsertRows();
    }
}

const NarrativeLine *NarrativeModel::lineAt(int row) const
{
    if (!narrator_ || row < 0 || row >= count_)
        return nullptr;
    return narrator_->lineBySeq(first_ + std::uint64_t(row));
}

int NarrativeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count_;
}

QVariant NarrativeModel::data(const QModelIndex &index, int role) const
{
    const NarrativeLine *line = lineAt(index.row());
    if (!line)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return QString::fromStdString(line->text);
    case TimeRole: return line->time;
    case MessageRole: return quint64(line->msg);
    case OriginalRole: return quint64(line->original);
    case NodeRole: return line->node;
    case OtherRole: return line->other;
    case KindRole: return int(line->kind);
    case SeqRole: return quint64(line->seq);
    case NodeKindRole: {
        const std::vector<Node> &nodes = narrator_->scenario().nodes;
        return line->node >= 0 && std::size_t(line->node) < nodes.size() ? int(nodes[std::size_t(line->node)].kind) : -1;
    }
    default: return {};
    }
}

// --- NarrativeFilter -----------------------------------------------------------------------

NarrativeFilter::NarrativeFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void NarrativeFilter::setText(const QString &text)
{
    if (text == text_)
        return;
    text_ = text;
    invalidateFilter();
}

void NarrativeFilter::setMessage(quint64 msg)
{
    if (msg == message_)
        return;
    message_ = msg;
    invalidateFilter();
}

void NarrativeFilter::setNodes(const QSet<int> &nodes, bool active)
{
    if (nodes == nodes_ && active == nodesActive_)
        return;
    nodes_ = nodes;
    nodesActive_ = active;
    invalidateFilter();
}

bool NarrativeFilter::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const auto *source = static_cast<const NarrativeModel *>(sourceModel());
    const NarrativeLine *line = source ? source->lineAt(sourceRow) : nullptr;
    if (!line)
        return false;
    if (line->kind == NarrativeLine::Note)
        return true;
    if (message_ && !line->involvesMessage(message_))
        return false;
    if (nodesActive_ && !nodes_.contains(line->node) && !nodes_.contains(line->other))
        return false;
    if (!text_.isEmpty() && !QString::fromStdString(line->text).contains(text_, Qt::CaseInsensitive))
        return false;
    return true;
}

// --- NarrativeDock -------------------------------------------------------------------------

NarrativeDock::NarrativeDock(QWidget *parent)
    : QDockWidget(tr("Narrative"), parent)
    , model_(new NarrativeModel(this))
    , filter_(new NarrativeFilter(this))
{
    setObjectName(QStringLiteral("narrativeDock"));
    filter_->setSourceModel(model_);

    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->setSpacing(4);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    auto *showLabel = new QLabel(tr("Show:"), panel);
    followBox_ = new QComboBox(panel);
    followBox_->setObjectName(QStringLiteral("narrativeFollow"));
    followBox_->addItems({tr("All events"), tr("Selected nodes"), tr("One message")});
    followBox_->setToolTip(tr("What the narrative follows: everything, the nodes selected on the canvas, "
                              "or one message (click its token on the canvas)"));
    showLabel->setBuddy(followBox_);
    messageEdit_ = new QLineEdit(panel);
    messageEdit_->setObjectName(QStringLiteral("narrativeMessage"));
    messageEdit_->setPlaceholderText(tr("#msg"));
    messageEdit_->setToolTip(tr("Follow the message with this number (its copies too)"));
    messageEdit_->setMaximumWidth(90);
    messageEdit_->setClearButtonEnabled(true);
    search_ = new QLineEdit(panel);
    search_->setObjectName(QStringLiteral("narrativeSearch"));
    search_->setPlaceholderText(tr("Filter lines, e.g. dropped, worker-2..."));
    search_->setClearButtonEnabled(true);
    autoScroll_ = new QToolButton(panel);
    autoScroll_->setObjectName(QStringLiteral("narrativeAutoScroll"));
    autoScroll_->setText(tr("Auto-scroll"));
    autoScroll_->setCheckable(true);
    autoScroll_->setChecked(true);
    autoScroll_->setToolTip(tr("Keep the newest line in view (scrolling up to read turns it off)"));
    clear_ = new QToolButton(panel);
    clear_->setObjectName(QStringLiteral("narrativeClear"));
    clear_->setText(tr("Clear"));
    clear_->setToolTip(tr("Remove the lines told so far"));
    bar->addWidget(showLabel);
    bar->addWidget(followBox_);
    bar->addWidget(messageEdit_);
    bar->addWidget(search_, 1);
    bar->addWidget(autoScroll_);
    bar->addWidget(clear_);
    layout->addLayout(bar);

    banner_ = new QLabel(panel);
    banner_->setObjectName(QStringLiteral("narrativeBanner"));
    banner_->setWordWrap(true);
    banner_->setTextFormat(Qt::PlainText);
    // Amber on either palette: a state to notice, not an error.
    banner_->setStyleSheet(QStringLiteral("QLabel { background: rgba(234, 160, 8, 0.18); border: 1px solid rgba(234, 160, 8, 0.55);"
                                          " border-radius: 4px; padding: 4px 8px; }"));
    banner_->hide();
    layout->addWidget(banner_);

    auto *list = new NarrativeList(panel);
    list_ = list;
    list_->setObjectName(QStringLiteral("narrativeList"));
    list_->setModel(filter_);
    list_->setItemDelegate(new LineDelegate(list_));
    list_->setUniformItemSizes(true); // thousands of rows: no per-row size queries
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    list_->setSelectionMode(QAbstractItemView::SingleSelection);
    list_->setAlternatingRowColors(true);
    list_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list_->setToolTip(QString());
    layout->addWidget(list_, 1);

    status_ = new QLabel(panel);
    status_->setObjectName(QStringLiteral("narrativeStatus"));
    QPalette pal = status_->palette();
    pal.setColor(QPalette::WindowText, mutedText(pal));
    status_->setPalette(pal);
    layout->addWidget(status_);
    setWidget(panel);

    connect(followBox_, &QComboBox::currentIndexChanged, this, &NarrativeDock::onFollowChosen);
    connect(messageEdit_, &QLineEdit::textEdited, this, &NarrativeDock::onMessageEdited);
    connect(search_, &QLineEdit::textChanged, this, [this](const QString &text) {
        filter_->setText(text.trimmed());
        updateStatus();
    });
    connect(autoScroll_, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            scrollToEnd();
    });
    connect(clear_, &QToolButton::clicked, this, &NarrativeDock::clearRequested);
    // Scrolling up to read stops following the newest line; back at the bottom, it resumes.
    QScrollBar *scroll = list_->verticalScrollBar();
    connect(scroll, &QScrollBar::actionTriggered, this, [this, scroll](int) {
        autoScroll_->setChecked(scroll->sliderPosition() >= scroll->maximum());
    });
    connect(list_, &QListView::clicked, this, [this](const QModelIndex &index) {
        const QModelIndex source = filter_->mapToSource(index);
        if (const NarrativeLine *line = model_->lineAt(source.row()))
            emit lineClicked(line->node, line->msg);
    });
    connect(list_, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        const QModelIndex source = filter_->mapToSource(index);
        if (const NarrativeLine *line = model_->lineAt(source.row()); line && line->msg)
            followMessage(line->msg);
    });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        if (follow_ == Follow::Message)
            stopFollowingMessage();
        else
            search_->clear();
    });
    updateStatus();
}

void NarrativeDock::setNarrator(const Narrator *narrator)
{
    narrator_ = narrator;
    model_->setNarrator(narrator);
    updateStatus();
}

int NarrativeDock::visibleLineCount() const
{
    return filter_->rowCount();
}

QStringList NarrativeDock::visibleLines() const
{
    QStringList out;
    for (int row = 0; row < filter_->rowCount(); ++row)
        out << filter_->index(row, 0).data().toString();
    return out;
}

void NarrativeDock::showLines(std::uint64_t end)
{
    model_->sync(end);
    updateStatus();
    if (autoScroll())
        scrollToEnd();
}

void NarrativeDock::resetLines()
{
    model_->reset();
    if (auto *d = dynamic_cast<LineDelegate *>(list_->itemDelegate()))
        d->resetColumns();
    updateStatus();
}

void NarrativeDock::scrollToEnd()
{
    list_->scrollToBottom();
}

void NarrativeDock::setFollow(Follow follow)
{
    if (follow == follow_)
        return;
    const Follow was = follow_;
    if (follow == Follow::Message)
        beforeMessage_ = was;
    follow_ = follow;
    applyFilter();
    if (was == Follow::Message || (follow == Follow::Message && message_))
        emit followedMessageChanged(followedMessage());
}

void NarrativeDock::followMessage(quint64 msg)
{
    if (!msg)
        return;
    if (follow_ == Follow::Message && msg == message_)
        return;
    if (follow_ != Follow::Message)
        beforeMessage_ = follow_;
    follow_ = Follow::Message;
    message_ = msg;
    applyFilter();
    scrollToEnd();
    emit followedMessageChanged(msg);
}

void NarrativeDock::stopFollowingMessage()
{
    if (follow_ != Follow::Message)
        return;
    follow_ = beforeMessage_ == Follow::Message ? Follow::Everything : beforeMessage_;
    message_ = 0;
    applyFilter();
    if (autoScroll())
        scrollToEnd();
    emit followedMessageChanged(0);
}

void NarrativeDock::setSelectedNodes(const QList<int> &nodes, const QStringList &ids)
{
    selected_ = QSet<int>(nodes.begin(), nodes.end());
    selectedIds_ = ids;
    applyFilter();
}

void NarrativeDock::setFilterText(const QString &text)
{
    search_->setText(text); // filters through textChanged
}

bool NarrativeDock::autoScroll() const
{
    return autoScroll_->isChecked();
}

void NarrativeDock::setAutoScroll(bool on)
{
    autoScroll_->setChecked(on);
}

void NarrativeDock::setPaused(bool paused, const QString &message)
{
    paused_ = paused;
    banner_->setText(message);
    banner_->setVisible(paused && !message.isEmpty());
}

QString NarrativeDock::bannerText() const
{
    return banner_->isVisible() ? banner_->text() : QString();
}

void NarrativeDock::applyFilter()
{
    filter_->setMessage(follow_ == Follow::Message ? message_ : 0);
    filter_->setNodes(selected_, follow_ == Follow::SelectedNodes);
    // The controls show the state, however it was reached (a token click, the list, Esc).
    updating_ = true;
    followBox_->setCurrentIndex(int(follow_));
    const QString shown = follow_ == Follow::Message && message_ ? QStringLiteral("#%1").arg(message_) : QString();
    if (!messageEdit_->hasFocus() || shown.isEmpty() != messageEdit_->text().isEmpty())
        messageEdit_->setText(shown);
    updating_ = false;
    updateStatus();
}

void NarrativeDock::onFollowChosen(int index)
{
    if (updating_)
        return;
    setFollow(Follow(std::clamp(index, 0, 2)));
    if (follow_ == Follow::Message && !message_)
        messageEdit_->setFocus();
}

void NarrativeDock::onMessageEdited()
{
    QString digits = messageEdit_->text().trimmed();
    if (digits.startsWith(QLatin1Char('#')))
        digits.remove(0, 1);
    bool ok = false;
    const quint64 msg = digits.toULongLong(&ok);
    if (ok && msg > 0)
        followMessage(msg);
    else if (digits.isEmpty())
        stopFollowingMessage();
}

void NarrativeDock::updateStatus()
{
    const int total = model_->rowCount();
    const int shown = filter_->rowCount();
    QString what;
    QString placeholder;
    switch (follow_) {
    case Follow::Everything:
        placeholder = tr("Step (F10) or run at a slow speed: what happens to each message appears here, "
                         "in words.\nClick a token on the canvas to follow its message.");
        break;
    case Follow::SelectedNodes:
        if (selectedIds_.isEmpty()) {
            what = tr("select nodes on the canvas to follow them");
            placeholder = tr("Select a node on the canvas to follow what happens there.");
        } else {
            what = tr("following %1").arg(selectedIds_.join(QStringLiteral(", ")));
            placeholder = tr("Nothing has happened at %1 yet.").arg(selectedIds_.join(QStringLiteral(", ")));
        }
        break;
    case Follow::Message:
        if (message_) {
            what = tr("following message #%1 (Esc or a click on the empty canvas stops)").arg(message_);
            placeholder = tr("Nothing about message #%1 yet: it appears when it is published.").arg(message_);
        } else {
            what = tr("type a message number or click a token on the canvas");
            placeholder = tr("Type a message number above, or click a token on the canvas.");
        }
        break;
    }
    if (total > 0)
        placeholder = tr("No line matches.");
    static_cast<NarrativeList *>(list_)->setPlaceholder(placeholder);
    const QLocale locale;
    const QString lines = total == 1 ? tr("1 line") : tr("%1 lines").arg(locale.toString(total));
    const QString count = shown == total ? lines : tr("%1 of %2").arg(locale.toString(shown), lines);
    status_->setText(what.isEmpty() ? count : count + QStringLiteral(" \u00b7 ") + what);
}

} // namespace ql
