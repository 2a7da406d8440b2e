#include "chartwidget.h"

#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QSaveFile>
#include <QVBoxLayout>
#include <qcustomplot.h>

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

    titleElement_ = new QCPTextElement(plot_, title);
    plot_->plotLayout()->insertRow(0);
    plot_->plotLayout()->addElement(0, 0, titleElement_);

    // The legend goes below the axes in rows, where it never hides data.
    plot_->legend->setVisible(true);
    plot_->plotLayout()->addElement(2, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(2, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->legend->setIconSize(18, 10);
    plot_->legend->setMargins(QMargins(4, 2, 4, 2));
    plot_->legend->setRowSpacing(0);
    plot_->legend->setColumnSpacing(10);

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
    return {240, 160};
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
    theme_ = ChartTheme::fromPalette(palette(), font());
    theme_.applyTo(plot_);
    titleElement_->setTextColor(theme_.text);
    titleElement_->setFont(theme_.titleFont);
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

void ChartWidget::updateLegendWrap() const
{
    const int columns = legendColumns(legendWidth_ > 0 ? legendWidth_ : width());
    if (plot_->legend->wrap() != columns || plot_->legend->itemCount() != legendItems_) {
        // setWrap() alone does not move items already placed; re-setting the order does.
        plot_->legend->setWrap(columns);
        plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
        legendItems_ = plot_->legend->itemCount();
    }
}

bool ChartWidget::savePng(const QString &path, QString *error, QSize size) const
{
    if (!size.isValid() || size.isEmpty())
        size = ExportSize;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = cannotWrite(path, file.errorString());
        return false;
    }
    // Hidden read-outs do not belong in a file.
    const bool tracer = tracer_->visible();
    tracer_->setVisible(false);
    readout_->setVisible(false);
    plot_->legend->setWrap(legendColumns(size.width()));
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
    const QPixmap pixmap = plot_->toPixmap(size.width(), size.height(), 2.0);
    updateLegendWrap();
    tracer_->setVisible(tracer);
    readout_->setVisible(tracer);
    if (pixmap.isNull() || !pixmap.save(&file, "PNG")) {
        file.cancelWriting();
        if (error)
            *error = cannotWrite(path, QStringLiteral("the chart could not be rendered as PNG"));
        return false;
    }
    if (!file.commit()) {
        if (error)
            *error = cannotWrite(path, file.errorString());
        return false;
    }
    return true;
}

bool ChartWidget::savePdf(const QString &path, QString *error, QSize size) const
{
    if (!size.isValid() || size.isEmpty())
        size = ExportSize;
    // QCustomPlot writes the PDF itself; write it beside the target and rename it over, so a
    // reader never sees half a file.
    const QString temporary = path + QStringLiteral(".part");
    const bool tracer = tracer_->visible();
    tracer_->setVisible(false);
    readout_->setVisible(false);
    plot_->legend->setWrap(legendColumns(size.width()));
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst, true);
    const bool ok = plot_->savePdf(temporary, size.width(), size.height(), QCP::epNoCosmetic, QStringLiteral("QueueLab"),
                                   title_);
    updateLegendWrap();
    tracer_->setVisible(tracer);
    readout_->setVisible(tracer);
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

} // namespace ql
