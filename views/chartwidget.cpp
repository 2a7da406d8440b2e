#include "chartwidget.h"

#include "figureexportdialog.h"

#include <QContextMenuEvent>
#include <QBuffer>
#include <QDir>
#include <QMenu>
#include <QEvent>
#include <QFileInfo>
#include <QSaveFile>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace ql {

namespace {

const char RoleProperty[] = "qlRole";
const char ColourProperty[] = "qlColour";

QString cannotWrite(const QString &path, const QString &reason)
{
    return QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(path), reason);
}

// A reason worth showing when Qt only says "failed": the folder is the usual culprit.
QString folderProblem(const QString &path)
{
    const QFileInfo dir(QFileInfo(path).absolutePath());
    if (!dir.exists())
        return QStringLiteral("the folder %1 does not exist").arg(QDir::toNativeSeparators(dir.filePath()));
    if (!dir.isWritable())
        return QStringLiteral("the folder %1 is not writable").arg(QDir::toNativeSeparators(dir.filePath()));
    return QStringLiteral("the file could not be written (disk full or no permission?)");
}

} // namespace

ChartWidget::ChartWidget(const QString &name, const QString &title, QWidget *parent)
    : QWidget(parent)
    , name_(name)
    , title_(title)
{
    setObjectName(name + QStringLiteral("Chart"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    plot_ = new QCustomPlot(this);
    plot_->setObjectName(QStringLiteral("plot"));
    layout->addWidget(plot_);

    plot_->setNoAntialiasingOnDrag(true);
    plot_->setAntialiasedElements(QCP::aePlottables | QCP::aeItems);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setAutoAddPlottableToLegend(false);
    plot_->plotLayout()->setRowSpacing(2);

    // One row above the axes: the value axis's title on the left, the chart's title in the
    // middle, a note on the line styles on the right. The value axis's title reads across,
    // not up the axis's side: a rotated title longer than a short chart is cut ("eady
    // messages (time averag"), one across has a third of the chart's width.
    header_ = new QCPLayoutGrid;
    subHeader_ = new QCPLayoutGrid;
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, header_);
    plot_->plotLayout()->setRowStretchFactor(0, 0.001);
    header_->setRowSpacing(0);
    subHeader_->setColumnSpacing(12);
    valueLabel_ = new QCPTextElement(plot_, QString());
    valueLabel_->setTextFlags(Qt::AlignLeft | Qt::AlignVCenter);
    valueLabel_->setMargins(QMargins(6, 2, 0, 0));
    titleElement_ = new QCPTextElement(plot_, title);
    titleElement_->setMargins(QMargins(0, 2, 0, 0));
    note_ = new QCPTextElement(plot_, QString());
    note_->setTextFlags(Qt::AlignRight | Qt::AlignVCenter);
    note_->setMargins(QMargins(0, 2, 8, 0));
    header_->addElement(0, 0, subHeader_);
    subHeader_->addElement(0, 0, valueLabel_);
    subHeader_->addElement(0, 1, titleElement_);
    subHeader_->addElement(0, 2, note_);

    // The legend goes below the axes in rows, where it never hides data.
    plot_->legend->setVisible(true);
    plot_->plotLayout()->addElement(2, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->legend->setIconSize(18, 10);
    plot_->legend->setMargins(QMargins(4, 2, 4, 2));
    plot_->legend->setRowSpacing(1);
    plot_->legend->setColumnSpacing(8);

    // Theory references and confidence bands go on a layer above the data, so noisy data
    // never hides the line one compares it with.
    plot_->addLayer(QStringLiteral("references"), plot_->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    // A reference run (the simulation beside a live run) goes below the data it is compared
    // with: the measured lines stay on top and readable.
    plot_->addLayer(QStringLiteral("simulated"), plot_->layer(QStringLiteral("main")), QCustomPlot::limBelow);
    // The hover read-out lives on its own buffered layer: moving it repaints that layer only.
    plot_->layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmBuffered);
    tracer_ = new QCPItemTracer(plot_);
    tracer_->setLayer(QStringLiteral("overlay"));
    tracer_->setStyle(QCPItemTracer::tsCircle);
    tracer_->setSize(8);
    tracer_->setVisible(false);
    tracer_->setSelectable(false);
    readout_ = new QCPItemText(plot_);
    readout_->setLayer(QStringLiteral("overlay"));
    readout_->position->setType(QCPItemPosition::ptAbsolute);
    readout_->setPadding(QMargins(6, 4, 6, 4));
    readout_->setTextAlignment(Qt::AlignLeft);
    readout_->setVisible(false);
    readout_->setSelectable(false);
    readout_->setClipToAxisRect(false);

    connect(plot_, &QCustomPlot::mouseMove, this, &ChartWidget::onMouseMove);
    plot_->installEventFilter(this);
    restyle();
}

ChartWidget::~ChartWidget() = default;

QSize ChartWidget::sizeHint() const
{
    return {480, 300};
}

QSize ChartWidget::minimumSizeHint() const
{
    // Below this the tick labels of a time axis (0 .. 100000) run together and the plot
    // area is a strip; a layout that has less room scrolls or tabs the charts instead.
    // A legend of many rows (a topology of many nodes) needs its own height on top.
    const int legend = plot_->legend->visible() ? plot_->legend->minimumOuterSizeHint().height() : 0;
    return {MinimumSize.width(), std::max(MinimumSize.height(), legend + 150)};
}

void ChartWidget::setValueLabel(const QString &label)
{
    valueLabel_->setText(label);
    plot_->yAxis->setLabel(QString());
    fitHeader(width());
    requestReplot();
}

QString ChartWidget::valueLabel() const
{
    return valueLabel_->text();
}

void ChartWidget::setNote(const QString &note, const QString &shortNote)
{
    fullNote_ = note;
    shortNote_ = shortNote.isEmpty() ? note : shortNote;
    note_->setText(note);
    fitHeader(width());
    requestReplot();
}

QString ChartWidget::note() const
{
    return fullNote_;
}

void ChartWidget::fitHeader(int width) const
{
    // One row where the three texts fit side by side; on a narrow chart the title gets a
    // row of its own above the other two, and a long note gives up its model's name, so
    // no text overlaps another.
    auto textWidth = [](QCPTextElement *e, const QString &text) {
        return text.isEmpty() ? 0 : QFontMetrics(e->font()).horizontalAdvance(text) + 16;
    };
    const int value = textWidth(valueLabel_, valueLabel_->text());
    const int title = textWidth(titleElement_, titleElement_->text());
    const bool oneRow = 2 * std::max(value, textWidth(note_, fullNote_)) + title + 24 <= width;
    QString note = fullNote_;
    if (!oneRow && value + textWidth(note_, note) + 24 > width)
        note = shortNote_;
    if (!oneRow && value + textWidth(note_, note) + 24 > width)
        note.clear();
    note_->setText(note);
    if (oneRow == headerOneRow_)
        return;
    headerOneRow_ = oneRow;
    for (QCPLayoutElement *e : std::initializer_list<QCPLayoutElement *>{valueLabel_, titleElement_, note_, subHeader_})
        if (QCPLayout *holder = e->layout())
            holder->take(e);
    header_->simplify();
    subHeader_->simplify();
    if (oneRow) {
        header_->addElement(0, 0, subHeader_);
        subHeader_->addElement(0, 0, valueLabel_);
        subHeader_->addElement(0, 1, titleElement_);
        subHeader_->addElement(0, 2, note_);
    } else {
        header_->addElement(0, 0, titleElement_);
        header_->addElement(1, 0, subHeader_);
        subHeader_->addElement(0, 0, valueLabel_);
        subHeader_->addElement(0, 1, note_);
    }
}

void ChartWidget::fitTicks(QSize size) const
{
    fitHeader(size.width());
    // About one tick label per 110 pixels across and per 32 down (of the plot area: the
    // header, the time axis and the legend take about 80), so labels such as "100000"
    // never touch; the ticker rounds to readable steps.
    const int across = std::clamp(size.width() / 110, 2, 9);
    const int down = std::clamp((size.height() - 80) / 32, 3, 8);
    plot_->xAxis->ticker()->setTickCount(across);
    plot_->yAxis->ticker()->setTickCount(down);
}

void ChartWidget::setRole(QCPAbstractPlottable *plottable, Role role, int colour)
{
    plottable->setProperty(RoleProperty, int(role));
    plottable->setProperty(ColourProperty, colour);
    if (role == Role::Theory || role == Role::Band || role == Role::BandEdge || role == Role::CiMean
        || role == Role::Marker)
        plottable->setLayer(QStringLiteral("references"));
    else if (role == Role::Reference)
        plottable->setLayer(QStringLiteral("simulated"));
}

void ChartWidget::restyle()
{
    restyle(ChartTheme::fromPalette(palette(), font()));
}

void ChartWidget::restyle(const ChartTheme &theme)
{
    theme_ = theme;
    theme_.applyTo(plot_);
    titleElement_->setTextColor(theme_.text);
    titleElement_->setFont(theme_.titleFont);
    valueLabel_->setTextColor(theme_.text);
    valueLabel_->setFont(theme_.font);
    note_->setTextColor(theme_.axis);
    note_->setFont(theme_.font);
    fitHeader(width());
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot_->plottable(i);
        const QVariant role = p->property(RoleProperty);
        if (!role.isValid())
            continue;
        const int index = p->property(ColourProperty).toInt();
        QColor c = index >= 0 ? theme_.series(index) : theme_.text;
        switch (Role(role.toInt())) {
        case Role::Line:
            p->setPen(QPen(c, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p->setBrush(Qt::NoBrush);
            break;
        case Role::Theory: {
            QPen pen(index >= 0 ? (theme_.dark ? c.lighter(125) : c.darker(125)) : theme_.axis, 2.0,
                     Qt::CustomDashLine);
            pen.setDashPattern({4, 2.5});
            p->setPen(pen);
            p->setBrush(Qt::NoBrush);
            break;
        }
        case Role::Band:
            c.setAlpha(theme_.dark ? 85 : 70);
            p->setPen(Qt::NoPen);
            p->setBrush(c);
            break;
        case Role::BandEdge:
            p->setPen(Qt::NoPen);
            p->setBrush(Qt::NoBrush);
            break;
        case Role::CiMean:
            p->setPen(QPen(theme_.dark ? c.lighter(130) : c.darker(130), 1.6, Qt::DashDotLine));
            p->setBrush(Qt::NoBrush);
            break;
        case Role::Bars: {
            QColor fill = c;
            fill.setAlpha(theme_.dark ? 150 : 170);
            p->setPen(QPen(theme_.dark ? c.lighter(120) : c.darker(115), 1));
            p->setBrush(fill);
            break;
        }
        case Role::Marker:
            p->setPen(QPen(c, 1.6, Qt::SolidLine));
            p->setBrush(Qt::NoBrush);
            break;
        case Role::Warmup:
            p->setPen(Qt::NoPen);
            p->setBrush(theme_.warmup);
            break;
        case Role::Reference:
        case Role::ReferenceKey: {
            // The simulated run: the same hue, lighter (towards the plot background) and
            // dashed, so it reads as the expectation the solid measured line is held against.
            const QColor base = index >= 0 ? c : theme_.text;
            const QColor bg = theme_.plotArea;
            const double keep = theme_.dark ? 0.62 : 0.55;
            QColor light = QColor::fromRgbF(base.redF() * keep + bg.redF() * (1 - keep),
                                            base.greenF() * keep + bg.greenF() * (1 - keep),
                                            base.blueF() * keep + bg.blueF() * (1 - keep));
            QPen pen(light, 1.8, Qt::CustomDashLine, Qt::FlatCap, Qt::RoundJoin);
            pen.setDashPattern({3.5, 2.2});
            p->setPen(pen);
            p->setBrush(Qt::NoBrush);
            break;
        }
        case Role::DataKey:
            p->setPen(QPen(index >= 0 ? c : theme_.text, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p->setBrush(Qt::NoBrush);
            break;
        case Role::BandKey: {
            // The swatch of every band at once: neutral (the bands have their lines'
            // colours), and strong enough to read on either background.
            QColor fill = theme_.text;
            fill.setAlpha(theme_.dark ? 110 : 80);
            p->setPen(QPen(theme_.text, 1.4, Qt::DashDotLine));
            p->setBrush(fill);
            break;
        }
        }
    }
    tracer_->setPen(QPen(theme_.text, 1.5));
    readout_->setColor(theme_.text);
    readout_->setFont(theme_.font);
    readout_->setBrush(theme_.readoutBackground);
    readout_->setPen(QPen(theme_.legendBorder, 1));
    themeChanged();
    requestReplot();
}

void ChartWidget::requestReplot()
{
    // A chart in a hidden tab or a closed dock draws when it is shown, not five times a
    // second for nobody.
    if (!isVisible()) {
        replotWhenShown_ = true;
        return;
    }
    updateLegendWrap();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ChartWidget::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (replotWhenShown_) {
        replotWhenShown_ = false;
        requestReplot();
    }
}

QString ChartWidget::formatNumber(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("-");
    const double a = std::abs(value);
    if (a != 0 && (a >= 1e6 || a < 1e-3))
        return QString::number(value, 'g', 3);
    const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    return QString::number(value, 'f', decimals);
}

int ChartWidget::dataCount() const
{
    int count = 0;
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot_->plottable(i);
        const QVariant role = p->property(RoleProperty);
        if (!role.isValid())
            continue;
        if (Role(role.toInt()) == Role::Line) {
            if (auto *g = qobject_cast<QCPGraph *>(p))
                count += g->data()->size();
        } else if (Role(role.toInt()) == Role::Bars) {
            if (auto *b = qobject_cast<QCPBars *>(p))
                count += b->data()->size();
        }
    }
    return count;
}

int ChartWidget::referenceDataCount() const
{
    int count = 0;
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        QCPAbstractPlottable *p = plot_->plottable(i);
        const QVariant role = p->property(RoleProperty);
        if (!role.isValid() || Role(role.toInt()) != Role::Reference)
            continue;
        if (auto *g = qobject_cast<QCPGraph *>(p))
            count += g->data()->size();
        else if (auto *b = qobject_cast<QCPBars *>(p))
            count += b->data()->size();
    }
    return count;
}

void ChartWidget::setReference(const std::shared_ptr<const ChartReference> &reference)
{
    reference_ = reference;
}

void ChartWidget::clearReference()
{
    reference_.reset();
    showReferenceKeys(false);
}

void ChartWidget::showReferenceKeys(bool show)
{
    for (QPointer<QCPAbstractPlottable> *key : {&dataKey_, &referenceKey_}) {
        if (*key)
            plot_->removePlottable(key->data());
        *key = nullptr;
    }
    if (!show || !reference_)
        return;
    // Data-less graphs: they exist for their legend entries only.
    auto *data = plot_->addGraph();
    data->setName(reference_->dataLabel);
    setRole(data, Role::DataKey, -1);
    data->addToLegend();
    auto *ref = plot_->addGraph();
    ref->setName(reference_->label);
    setRole(ref, Role::ReferenceKey, -1);
    ref->addToLegend();
    dataKey_ = data;
    referenceKey_ = ref;
    restyle();
}

void ChartWidget::resetView()
{
    following_ = true;
    rescale();
    requestReplot();
}

std::optional<ChartWidget::Readout> ChartWidget::readoutAt(const QPointF &pixel) const
{
    std::optional<Readout> best;
    double bestDistance = 24;
    for (int i = 0; i < plot_->plottableCount(); ++i) {
        auto *g = qobject_cast<QCPGraph *>(plot_->plottable(i));
        if (!g || !g->visible() || g->data()->isEmpty())
            continue;
        const QVariant role = g->property(RoleProperty);
        if (!role.isValid())
            continue;
        const Role r = Role(role.toInt());
        const QColor colour = g->pen().color();
        if (r == Role::Theory || r == Role::CiMean) {
            // Horizontal references: the distance is vertical, anywhere along them.
            const double key = g->keyAxis()->pixelToCoord(pixel.x());
            const auto first = g->data()->constBegin();
            const auto last = g->data()->constEnd() - 1;
            if (key < first->key || key > last->key)
                continue;
            const double d = std::abs(g->valueAxis()->coordToPixel(first->value) - pixel.y());
            if (d < bestDistance) {
                bestDistance = d;
                best = Readout{QPointF(key, first->value), g->name() + QStringLiteral(": ")
                                                               + formatNumber(first->value) + unit(),
                               colour};
            }
            continue;
        }
        if (r != Role::Line && r != Role::Reference)
            continue;
        const double key = g->keyAxis()->pixelToCoord(pixel.x());
        auto it = g->data()->findBegin(key, true);
        for (int k = 0; k < 2 && it != g->data()->constEnd(); ++k, ++it) {
            if (!std::isfinite(it->value))
                continue;
            const QPointF p(g->keyAxis()->coordToPixel(it->key), g->valueAxis()->coordToPixel(it->value));
            const double d = std::hypot(p.x() - pixel.x(), p.y() - pixel.y());
            if (d < bestDistance) {
                bestDistance = d;
                best = Readout{QPointF(it->key, it->value),
                               QStringLiteral("%1: %2%3\nt = %4").arg(g->name(), formatNumber(it->value), unit(),
                                                                     formatNumber(it->key)),
                               colour};
            }
        }
    }
    return best;
}

void ChartWidget::onMouseMove(QMouseEvent *event)
{
    if (event->buttons() != Qt::NoButton) {
        following_ = false; // the user drags the view: stop following the run
        hideReadout();
        return;
    }
    const auto r = readoutAt(event->position());
    if (!r) {
        hideReadout();
        return;
    }
    tracer_->position->setCoords(r->at);
    tracer_->setBrush(r->colour);
    tracer_->setVisible(true);
    readout_->setText(r->text);
    const QPointF p(plot_->xAxis->coordToPixel(r->at.x()), plot_->yAxis->coordToPixel(r->at.y()));
    const bool right = p.x() > plot_->width() / 2.0;
    const bool below = p.y() < plot_->height() / 3.0;
    readout_->setPositionAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | (below ? Qt::AlignTop : Qt::AlignBottom));
    readout_->position->setCoords(p + QPointF(right ? -10 : 10, below ? 10 : -10));
    readout_->setVisible(true);
    plot_->layer(QStringLiteral("overlay"))->replot();
}

void ChartWidget::showContextMenu(const QPoint &globalPos)
{
    hideReadout();
    QMenu menu(this);
    menu.addAction(tr("Reset view"), this, &ChartWidget::resetView);
    menu.addAction(tr("Focus this chart"), this, &ChartWidget::focusRequested);
    menu.addSeparator();
    menu.addAction(tr("Export figure…"), this, [this] { FigureExportDialog::exportChart(this); });
    menu.exec(globalPos);
}

void ChartWidget::hideReadout()
{
    if (!tracer_->visible() && !readout_->visible())
        return;
    tracer_->setVisible(false);
    readout_->setVisible(false);
    plot_->layer(QStringLiteral("overlay"))->replot();
}

bool ChartWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == plot_) {
        switch (event->type()) {
        case QEvent::Leave:
            hideReadout();
            break;
        case QEvent::Wheel:
            following_ = false;
            break;
        case QEvent::MouseButtonDblClick:
            resetView();
            return true;
        case QEvent::ContextMenu:
            showContextMenu(static_cast<QContextMenuEvent *>(event)->globalPos());
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ChartWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange
        || event->type() == QEvent::StyleChange)
        restyle();
}

void ChartWidget::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    legendWidth_ = event->size().width();
    fitTicks(event->size());
    updateLegendWrap();
}

int ChartWidget::legendColumns(int width) const
{
    // As many columns as fit: the legend's grid makes each column as wide as its widest item.
    QCPLegend *legend = plot_->legend;
    const int count = legend->itemCount();
    std::vector<int> widths;
    for (int i = 0; i < count; ++i)
        widths.push_back(legend->item(i) ? legend->item(i)->minimumOuterSizeHint().width() : 0);
    const int available = width - legend->margins().left() - legend->margins().right() - 16;
    for (int columns = std::max(1, count); columns > 1; --columns) {
        int total = legend->columnSpacing() * (columns - 1);
        for (int c = 0; c < columns; ++c) {
            int widest = 0;
            for (int i = c; i < count; i += columns)
                widest = std::max(widest, widths[std::size_t(i)]);
            total += widest;
        }
        if (total <= available)
            return columns;
    }
    return 1;
}

void ChartWidget::updateLegendWrap()
{
    const int columns = legendColumns(legendWidth_ > 0 ? legendWidth_ : width());
    if (plot_->legend->wrap() != columns || plot_->legend->itemCount() != legendItems_) {
        // setWrap() alone does not move items already placed; re-setting the order does.
        plot_->legend->setWrap(columns);
        plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
        legendItems_ = plot_->legend->itemCount();
        updateGeometry(); // the minimum height follows the legend's rows
    }
}

void ChartWidget::prepareExport(QSize size)
{
    // Hidden read-outs do not belong in a file; the legend and the ticks fit its width.
    exportTracer_ = tracer_->visible();
    tracer_->setVisible(false);
    readout_->setVisible(false);
    fitTicks(size);
    plot_->legend->setWrap(legendColumns(size.width()));
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
}

void ChartWidget::finishExport()
{
    fitTicks(plot_->size());
    updateLegendWrap();
    tracer_->setVisible(exportTracer_);
    readout_->setVisible(exportTracer_);
}

bool ChartWidget::writeFile(const QString &path, const QByteArray &bytes, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = cannotWrite(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = cannotWrite(path, file.errorString());
        return false;
    }
    return true;
}

bool ChartWidget::writePdf(const QString &path, QSize size, QString *error) const
{
    // QCustomPlot writes the PDF itself (a page of size.width() x size.height() points);
    // write it beside the target and rename it over, so a reader never sees half a file.
    const QString temporary = path + QStringLiteral(".part");
    const bool ok = plot_->savePdf(temporary, size.width(), size.height(), QCP::epNoCosmetic, QStringLiteral("QueueLab"),
                                   title_);
    if (!ok || !QFileInfo(temporary).isFile() || QFileInfo(temporary).size() == 0) {
        QFile::remove(temporary);
        if (error)
            *error = cannotWrite(path, folderProblem(path));
        return false;
    }
    if (std::rename(QFile::encodeName(temporary).constData(), QFile::encodeName(path).constData()) != 0) {
        const QString reason = QString::fromLocal8Bit(std::strerror(errno));
        QFile::remove(temporary);
        if (error)
            *error = cannotWrite(path, reason);
        return false;
    }
    return true;
}

bool ChartWidget::savePng(const QString &path, QString *error, QSize size)
{
    if (!size.isValid() || size.isEmpty())
        size = ExportSize;
    prepareExport(size);
    const QPixmap pixmap = plot_->toPixmap(size.width(), size.height(), 2.0);
    finishExport();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (pixmap.isNull() || !pixmap.save(&buffer, "PNG")) {
        if (error)
            *error = cannotWrite(path, QStringLiteral("the chart could not be rendered as PNG"));
        return false;
    }
    return writeFile(path, bytes, error);
}

bool ChartWidget::savePdf(const QString &path, QString *error, QSize size)
{
    // Without a size: a figure a page wide (7 in) with text that reads at that size, in
    // the chart's own colours; exportFigure() offers the other sizes and paper white.
    if (!size.isValid() || size.isEmpty()) {
        ChartFigure figure = ChartFigure::fromPreset(ChartFigure::Preset::DoubleColumn);
        figure.whiteBackground = false;
        return exportFigure(path, figure, error);
    }
    prepareExport(size);
    const bool ok = writePdf(path, size, error);
    finishExport();
    return ok;
}

} // namespace ql
