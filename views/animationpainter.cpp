#include "animationpainter.h"

#include "animationtimeline.h"
#include "canvasmetrics.h"
#include "followtracker.h"
#include "linkitem.h"

#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPaintEngine>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace ql {

namespace {

constexpr double StripHeight = 12;     // the bottom strip node items leave free for us
constexpr double TokenDiameter = AnimationPainter::TokenDiameter;
constexpr qint64 MaxFlowCachePixels = 8'000'000; // beyond that (deep zoom) flows draw directly

// Token colours by producer: distinct hues that read on light and dark canvases; red is
// left out because it means "dropped".
const QColor TokenColours[] = {
    QColor(0x3b, 0x82, 0xf6), QColor(0xf5, 0x9e, 0x0b), QColor(0x10, 0xb9, 0x81),
    QColor(0xa8, 0x55, 0xf7), QColor(0x06, 0xb6, 0xd4), QColor(0xec, 0x48, 0x99),
    QColor(0x84, 0xcc, 0x16), QColor(0xf9, 0x73, 0x16),
};
constexpr int TokenColourCount = int(sizeof TokenColours / sizeof TokenColours[0]);
static_assert(TokenColourCount == AnimationTimeline::ColourCount, "one colour for each the timeline hands out");

QColor mix(const QColor &a, const QColor &b, double f)
{
    f = std::clamp(f, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f),
                            float(a.alphaF() + (b.alphaF() - a.alphaF()) * f));
}

QString formatRate(double rate, const QString &unit)
{
    const int decimals = rate >= 100 ? 0 : rate >= 10 ? 1 : 2;
    return QString::number(rate, 'f', decimals) + QLatin1Char('/') + unit;
}

// The strip at the bottom of a node's box that node items leave free for the read-outs.
QRectF strip(const QPointF &centre)
{
    return QRectF(centre.x() - NodeSize.width() / 2, centre.y() + NodeSize.height() / 2 - StripHeight,
                  NodeSize.width(), StripHeight);
}

bool rasterTarget(QPainter *p) // pixel caches only where pixels are the output
{
    return p->paintEngine() && p->paintEngine()->type() == QPaintEngine::Raster;
}

} // namespace

AnimationPainter::AnimationPainter(const AnimationTimeline &timeline, const FollowTracker &follow)
    : timeline_(timeline)
    , follow_(follow)
{
}

QRectF AnimationPainter::stripRect(const QPointF &centre)
{
    return strip(centre).adjusted(-2, -2, 2, 2);
}

QRectF AnimationPainter::flashRect(const QPointF &pos)
{
    return QRectF(pos.x() - 64, pos.y() - 48, 128, 84);
}

void AnimationPainter::setScenario(const Scenario &scenario)
{
    labelSize_.clear();
    for (const Link &link : scenario.links) {
        // The editor labels some links at their middle (LinkItem); rate labels keep clear.
        QSizeF size;
        const QString label = LinkItem::labelFor(scenario, link);
        if (!label.isEmpty()) {
            QFont font = QGuiApplication::font();
            font.setPixelSize(10);
            const QFontMetricsF m(font);
            size = QSizeF(std::min<double>(m.horizontalAdvance(label) + 12, 110), m.height() + 4);
        }
        labelSize_.push_back(size);
    }
    timeUnit_ = QString::fromLatin1(timeUnitName(scenario.timeUnit));
}

void AnimationPainter::forgetFlows()
{
    ++flowVersion_;
    flowCache_ = QPixmap();
}

void AnimationPainter::setPalette(const QPalette &pal)
{
    if (pal.cacheKey() == paletteKey_)
        return;
    paletteKey_ = pal.cacheKey();
    const bool dark = isDarkPalette(pal);
    const CanvasColors canvas = canvasColors(pal);
    text_ = canvas.text;
    track_ = canvas.subText;
    track_.setAlphaF(dark ? 0.30f : 0.22f);
    fill_ = kindColor(NodeKind::Queue, dark);
    busyColour_ = canvas.valid;
    idleColour_ = canvas.subText;
    dropColour_ = canvas.error;
    warnColour_ = canvas.warning;
    // Expiry is not a loss by overflow: a slate grey that fades, not a red burst.
    expiredColour_ = dark ? QColor(0x94, 0xa3, 0xb8) : QColor(0x64, 0x74, 0x8b);
    ring_ = canvas.selection;
    gap_ = canvas.background;
    // Flow colours from quiet to busy: sky, violet, orange (no red: red means dropped).
    flowLow_ = dark ? QColor(0x38, 0xbd, 0xf8) : QColor(0x02, 0x84, 0xc7);
    flowMid_ = dark ? QColor(0xa7, 0x8b, 0xfa) : QColor(0x7c, 0x3a, 0xed);
    flowHigh_ = dark ? QColor(0xfb, 0x92, 0x3c) : QColor(0xea, 0x58, 0x0c);
    smallFont_ = QGuiApplication::font();
    smallFont_.setPixelSize(9);

    darkSprites_ = dark;
    ++flowVersion_;
    sprites_.clear(); // rebuilt at the next paint, at the size it needs
}

void AnimationPainter::ensureSprites(int size)
{
    if (!sprites_.empty() && spriteSize_ == size)
        return;
    spriteSize_ = size;
    sprites_.clear();
    const double k = size / double(TokenDiameter); // drawn in scene units, scaled to pixels
    // The plain tokens, then those of messages that came back (requeued or dead-lettered):
    // a darker shade inside a ring in the text colour.
    for (const bool returned : {false, true}) {
        for (const QColor &c : TokenColours) {
            QPixmap sprite(size, size);
            sprite.fill(Qt::transparent);
            QPainter p(&sprite);
            p.setRenderHint(QPainter::Antialiasing);
            p.scale(k, k);
            const QColor colour = darkSprites_ ? c.lighter(115) : c;
            if (returned) {
                p.setPen(QPen(text_, 1.6));
                p.setBrush(colour.darker(150));
                p.drawEllipse(QRectF(0.8, 0.8, TokenDiameter - 1.6, TokenDiameter - 1.6));
            } else {
                p.setPen(QPen(darkSprites_ ? colour.lighter(160) : colour.darker(160), 1.2));
                p.setBrush(colour);
                p.drawEllipse(QRectF(0.75, 0.75, TokenDiameter - 1.5, TokenDiameter - 1.5));
                p.setPen(Qt::NoPen);
                p.setBrush(QColor(255, 255, 255, 110));
                p.drawEllipse(QRectF(3, 2.5, 3, 2.5));
            }
            p.end();
            sprites_.push_back(sprite);
        }
    }
}

void AnimationPainter::paint(QPainter *painter, const QRectF &bounds, double t)
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (timeline_.showingFlow())
        paintFlows(painter, bounds);
    else
        paintTokens(painter, t);
    paintQueues(painter);
    paintConsumers(painter);
    paintFlashes(painter, t);
    if (follow_.message() && !timeline_.showingFlow())
        paintFollowed(painter, t);
    painter->restore();
}

void AnimationPainter::paintFlows(QPainter *p, const QRectF &bounds)
{
    // The flow lines change a few times a second but the layer is repainted far more often
    // (strips, bursts, zoom): draw them once into a device-pixel cache and blit it.
    const QTransform world = p->worldTransform();
    const double ratio = p->device() ? p->device()->devicePixelRatioF() : 1.0;
    const double zoom = world.m11();
    const bool plain = world.type() <= QTransform::TxScale && qFuzzyCompare(world.m11(), world.m22()) && zoom > 0;
    const QSize pixels = (bounds.size() * zoom * ratio).toSize();
    if (!plain || !rasterTarget(p) || pixels.isEmpty() || qint64(pixels.width()) * pixels.height() > MaxFlowCachePixels) {
        drawFlows(p);
        return;
    }
    if (flowCache_.isNull() || flowCache_.size() != pixels || flowCacheVersion_ != flowVersion_
        || flowCacheScale_ != zoom * ratio) {
        flowCache_ = QPixmap(pixels);
        flowCache_.fill(Qt::transparent);
        QPainter cache(&flowCache_);
        cache.setRenderHint(QPainter::Antialiasing);
        cache.scale(zoom * ratio, zoom * ratio);
        cache.translate(-bounds.topLeft());
        drawFlows(&cache);
        cache.end();
        flowCache_.setDevicePixelRatio(ratio);
        flowCacheVersion_ = flowVersion_;
        flowCacheScale_ = zoom * ratio;
    }
    const QPointF origin = world.map(bounds.topLeft());
    p->save();
    p->resetTransform();
    p->drawPixmap(QPointF(std::round(origin.x() * ratio) / ratio, std::round(origin.y() * ratio) / ratio), flowCache_);
    p->restore();
}

void AnimationPainter::drawFlows(QPainter *p)
{
    const std::vector<AnimationTimeline::Link> &links = timeline_.links();
    double maxRate = 0;
    for (std::size_t i = 0; i < links.size(); ++i)
        maxRate = std::max(maxRate, timeline_.linkRate(int(i)));
    if (maxRate <= 0)
        return;
    p->setFont(smallFont_);
    const QFontMetricsF fm(smallFont_);
    for (std::size_t i = 0; i < links.size(); ++i) {
        const AnimationTimeline::Link &l = links[i];
        const double rate = timeline_.linkRate(int(i));
        if (l.from < 0 || l.to < 0 || rate <= 0 || l.line.length() < 4)
            continue;
        const double share = rate / maxRate;
        const double width = 2.0 + 9.0 * std::sqrt(share);
        QColor colour = share < 0.5 ? mix(flowLow_, flowMid_, share * 2) : mix(flowMid_, flowHigh_, share * 2 - 1);
        colour.setAlphaF(0.85f);
        QPen pen(colour, width, Qt::SolidLine, Qt::FlatCap);
        p->setPen(pen);
        // Stop short of the target so the arrowhead below has its own room.
        const QLineF unit = l.line.unitVector();
        const QPointF dir = unit.p2() - unit.p1();
        const double head = std::min(width + 6, l.line.length() / 3);
        const QPointF tip = l.line.p2();
        const QPointF base = tip - dir * head;
        p->drawLine(l.line.p1(), base);
        // Dashes along the line say "traffic" at a glance; the arrowhead gives the direction.
        QColor dash = QColor(255, 255, 255, 150);
        QPen dashPen(dash, std::max(1.0, width / 3), Qt::CustomDashLine, Qt::FlatCap);
        dashPen.setDashPattern({2.0, 4.0});
        p->setPen(dashPen);
        p->drawLine(l.line.p1(), base);
        const QPointF normal(-dir.y(), dir.x());
        const QPointF arrow[3] = {tip, base + normal * (width / 2 + 4), base - normal * (width / 2 + 4)};
        p->setPen(Qt::NoPen);
        p->setBrush(colour);
        p->drawPolygon(arrow, 3);

        if (l.line.length() < 70)
            continue;
        const QString label = formatRate(rate, timeUnit_);
        const QSizeF size(fm.horizontalAdvance(label) + 8, fm.height() + 2);
        // Beside the line, clear of the editor's own label there: extents along the normal
        // of two axis-aligned boxes.
        auto extent = [&](const QSizeF &box) {
            return box.width() / 2 * std::abs(normal.x()) + box.height() / 2 * std::abs(normal.y());
        };
        const QSizeF editorLabel = i < labelSize_.size() ? labelSize_[i] : QSizeF();
        const double offset = std::max(width / 2, extent(editorLabel)) + extent(size) + 2;
        const QPointF mid = l.line.center() + normal * offset;
        const QRectF box(mid - QPointF(size.width() / 2, size.height() / 2), size);
        QColor back = text_.lightnessF() > 0.5 ? QColor(20, 20, 24, 200) : QColor(255, 255, 255, 215);
        p->setBrush(back);
        p->drawRoundedRect(box, 3, 3);
        p->setPen(text_);
        p->drawText(box, Qt::AlignCenter, label);
    }
}

void AnimationPainter::paintTokens(QPainter *p, double t)
{
    const std::vector<AnimationTimeline::Token> &tokens = timeline_.tokens();
    if (tokens.empty())
        return;
    // One drawPixmapFragments() per colour in device pixels, with sprites made at the size
    // the current zoom needs: thousands of tokens cost plain blits, not path fills or scaled
    // pixmaps.
    if (!rasterTarget(p)) { // SVG, PDF, print: vector tokens
        p->setPen(Qt::NoPen);
        for (const AnimationTimeline::Token &k : tokens) {
            if (!AnimationTimeline::onLink(k, t))
                continue;
            p->setPen(k.returned ? QPen(text_, 1.6) : QPen(Qt::NoPen));
            p->setBrush(k.returned ? TokenColours[k.colour].darker(150) : TokenColours[k.colour]);
            p->drawEllipse(timeline_.tokenPosition(k, t), TokenDiameter / 2, TokenDiameter / 2);
        }
        return;
    }
    const QTransform world = p->worldTransform();
    const double zoom = std::sqrt(std::abs(world.determinant()));
    const double ratio = p->device() ? p->device()->devicePixelRatioF() : 1.0;
    ensureSprites(std::clamp(int(std::lround(TokenDiameter * zoom * ratio)), 3, 96));
    thread_local std::vector<QPainter::PixmapFragment> byColour[2 * TokenColourCount];
    for (auto &v : byColour)
        v.clear();
    const QRectF source(0, 0, spriteSize_, spriteSize_);
    const double scale = 1.0 / ratio;
    for (const AnimationTimeline::Token &k : tokens) {
        if (!AnimationTimeline::onLink(k, t))
            continue;
        const QPointF pos = world.map(timeline_.tokenPosition(k, t));
        byColour[k.colour + (k.returned ? TokenColourCount : 0)].push_back(
            QPainter::PixmapFragment::create(pos, source, scale, scale));
    }
    p->save();
    p->resetTransform();
    for (int c = 0; c < 2 * TokenColourCount; ++c)
        if (!byColour[c].empty())
            p->drawPixmapFragments(byColour[c].data(), int(byColour[c].size()), sprites_[std::size_t(c)]);
    p->restore();
}

// A read-out bar in a node's strip: the track, its filled `share` and a number beside it.
void AnimationPainter::drawBar(QPainter *p, const QRectF &strip, double share, const QColor &colour,
                               const QString &text)
{
    const QRectF bar = strip.adjusted(8, 3.5, -42, -3.5);
    p->setPen(Qt::NoPen);
    p->setBrush(track_);
    p->drawRoundedRect(bar, 2.5, 2.5);
    if (share > 0) {
        p->setBrush(colour);
        p->drawRoundedRect(QRectF(bar.topLeft(), QSizeF(std::max(bar.height(), bar.width() * share), bar.height())),
                           2.5, 2.5);
    }
    p->setFont(smallFont_);
    p->setPen(text_);
    p->drawText(QRectF(bar.right() + 4, strip.top(), strip.right() - bar.right() - 8, strip.height()),
                Qt::AlignVCenter | Qt::AlignRight, text);
}

void AnimationPainter::paintQueues(QPainter *p)
{
    const std::vector<AnimationTimeline::Node> &nodes = timeline_.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const AnimationTimeline::Node &g = nodes[i];
        if (g.kind != NodeKind::Queue)
            continue;
        const int depth = timeline_.queueDepth(int(i));
        // Unbounded queues scale to a round number above the deepest level seen this run, so
        // the bar does not jump about.
        double scale = double(g.capacity);
        if (g.capacity <= 0) {
            const double peak = std::max(10, timeline_.peakDepth(int(i)));
            scale = std::pow(10.0, std::ceil(std::log10(peak)));
            if (peak <= scale / 2)
                scale /= 2;
        }
        const double share = std::clamp(depth / scale, 0.0, 1.0);
        QColor colour = fill_;
        if (g.capacity > 0 && share >= 1.0)
            colour = dropColour_;
        else if (g.capacity > 0 && share >= 0.8)
            colour = flowHigh_;
        const QString number = g.capacity > 0 && depth >= g.capacity ? QStringLiteral("%1 full").arg(depth)
                                                                      : QString::number(depth);
        drawBar(p, strip(g.centre), share, colour, number);
    }
}

void AnimationPainter::paintConsumers(QPainter *p)
{
    const std::vector<AnimationTimeline::Node> &nodes = timeline_.nodes();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const AnimationTimeline::Node &g = nodes[i];
        if (g.kind != NodeKind::Consumer)
            continue;
        const QRectF area = strip(g.centre);
        const int busy = std::clamp(timeline_.busyServers(int(i)), 0, g.servers);
        if (g.servers <= 12) {
            constexpr double dot = 7, gap = 2.5;
            const double width = g.servers * dot + (g.servers - 1) * gap;
            double x = area.center().x() - width / 2;
            const double y = area.center().y() - dot / 2;
            for (int s = 0; s < g.servers; ++s, x += dot + gap) {
                if (s < busy) {
                    p->setPen(Qt::NoPen);
                    p->setBrush(busyColour_);
                } else {
                    p->setPen(QPen(idleColour_, 1));
                    p->setBrush(Qt::NoBrush);
                }
                p->drawEllipse(QRectF(x, y, dot, dot));
            }
            continue;
        }
        // Many servers: a bar of busy servers and the count.
        drawBar(p, area, double(busy) / g.servers, busyColour_, QStringLiteral("%1/%2").arg(busy).arg(g.servers));
    }
}

namespace {

// What a burst says beside it: its reason where the shape alone does not, its count, and
// where a dead-lettered message went.
QString flashLabel(const AnimationTimeline::Flash &f)
{
    QString text;
    switch (f.reason) {
    case DropReason::Overflow:
    case DropReason::DropHead: break;
    case DropReason::Unroutable: text = QStringLiteral("unroutable"); break;
    case DropReason::Expired: text = QStringLiteral("expired"); break;
    case DropReason::Rejected: text = QStringLiteral("rejected"); break;
    case DropReason::DeliveryLimit: text = QStringLiteral("delivery limit"); break;
    case DropReason::DeadLetterCycle: text = QStringLiteral("DLX cycle"); break;
    }
    if (f.count > 1)
        text += (text.isEmpty() ? QStringLiteral("x%1") : QStringLiteral(" x%1")).arg(f.count);
    if (f.deadLettered)
        text += QStringLiteral(" \u2192 DLX");
    return text;
}

} // namespace

void AnimationPainter::paintFlashes(QPainter *p, double t)
{
    constexpr double FlashLife = AnimationTimeline::FlashLife;
    for (const AnimationTimeline::Flash &f : timeline_.flashes()) {
        const double age = t - f.start;
        if (age < 0 || age >= FlashLife)
            continue;
        const double u = age / FlashLife;
        const double fade = 1 - u;
        QColor ring = dropColour_;
        switch (f.reason) {
        case DropReason::Expired: {
            // An hourglass that fades where the message left the head: it ran out of time.
            ring = expiredColour_;
            ring.setAlphaF(float(0.95 * fade));
            const double h = 7 + 3 * u;
            QPolygonF glass;
            glass << f.pos + QPointF(-h * 0.7, -h) << f.pos + QPointF(h * 0.7, -h)
                  << f.pos + QPointF(-h * 0.7, h) << f.pos + QPointF(h * 0.7, h);
            p->setPen(QPen(ring, 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            p->setBrush(Qt::NoBrush);
            p->drawPolygon(glass);
            QColor sand = ring;
            sand.setAlphaF(float(0.6 * fade));
            p->setPen(Qt::NoPen);
            p->setBrush(sand);
            p->drawPolygon(QPolygonF{f.pos + QPointF(-h * 0.35, h * 0.5), f.pos + QPointF(h * 0.35, h * 0.5),
                                     f.pos + QPointF(h * 0.7, h), f.pos + QPointF(-h * 0.7, h)});
            p->setBrush(Qt::NoBrush);
            p->setPen(QPen(ring, 1.2));
            const double r = 10 + 14 * std::sqrt(u);
            p->drawEllipse(f.pos, r, r);
            break;
        }
        case DropReason::Rejected:
        case DropReason::DeliveryLimit: {
            // A cross at the consumer that refused it (amber: the broker gave up on it).
            ring = f.reason == DropReason::Rejected ? dropColour_ : warnColour_;
            ring.setAlphaF(float(0.95 * fade));
            const double a = 5 + 4 * std::sqrt(u);
            p->setPen(QPen(ring, 3, Qt::SolidLine, Qt::RoundCap));
            p->drawLine(f.pos + QPointF(-a, -a), f.pos + QPointF(a, a));
            p->drawLine(f.pos + QPointF(-a, a), f.pos + QPointF(a, -a));
            break;
        }
        case DropReason::Overflow:
        case DropReason::DropHead:
        case DropReason::Unroutable:
        case DropReason::DeadLetterCycle: {
            const double radius = 6 + 22 * std::sqrt(u);
            ring.setAlphaF(float(0.9 * fade));
            p->setPen(QPen(ring, 2.5));
            p->setBrush(Qt::NoBrush);
            p->drawEllipse(f.pos, radius, radius);
            // Short rays make it a burst rather than a ripple.
            const bool turned = f.reason == DropReason::Unroutable;
            for (int k = 0; k < 8; ++k) {
                const double a = k * M_PI / 4 + (turned ? M_PI / 8 : 0);
                const QPointF d(std::cos(a), std::sin(a));
                p->drawLine(f.pos + d * (radius * 0.55), f.pos + d * (radius * 0.85));
            }
            QColor core = dropColour_;
            core.setAlphaF(float(0.85 * fade));
            p->setPen(Qt::NoPen);
            p->setBrush(core);
            p->drawEllipse(f.pos, 7 * fade + 2, 7 * fade + 2);
            break;
        }
        }
        const QString text = flashLabel(f);
        if (!text.isEmpty()) {
            p->setFont(smallFont_);
            p->setPen(ring);
            p->drawText(QRectF(f.pos.x() - 60, f.pos.y() - 44, 120, 12), Qt::AlignCenter, text);
        }
    }
}

void AnimationPainter::paintFollowed(QPainter *p, double t)
{
    const quint64 followed = follow_.message();
    const QString label = QStringLiteral("#%1").arg(followed);
    QFont font = smallFont_;
    font.setPixelSize(10);
    font.setBold(true);
    const QFontMetricsF fm(font);
    auto tag = [&](const QPointF &anchor) { // a pill with the message number
        const QSizeF size(fm.horizontalAdvance(label) + 10, fm.height() + 2);
        const QRectF box(anchor, size);
        p->setPen(Qt::NoPen);
        p->setBrush(ring_);
        p->drawRoundedRect(box, size.height() / 2, size.height() / 2);
        p->setFont(font);
        p->setPen(Qt::white);
        p->drawText(box, Qt::AlignCenter, label);
    };
    auto ring = [&](const QPointF &pos, int colour, bool drawToken) {
        QColor halo = ring_;
        halo.setAlphaF(0.22f);
        p->setPen(Qt::NoPen);
        p->setBrush(halo);
        p->drawEllipse(pos, TokenDiameter / 2 + 8, TokenDiameter / 2 + 8);
        if (drawToken) {
            p->setBrush(TokenColours[colour]);
            p->drawEllipse(pos, TokenDiameter / 2 - 0.5, TokenDiameter / 2 - 0.5);
        }
        // A gap in the canvas colour between token and ring: the ring reads as a ring even
        // around a token of a similar hue.
        p->setBrush(Qt::NoBrush);
        p->setPen(QPen(gap_, 2));
        p->drawEllipse(pos, TokenDiameter / 2 + 1.5, TokenDiameter / 2 + 1.5);
        p->setPen(QPen(ring_, 2.5));
        p->drawEllipse(pos, TokenDiameter / 2 + 4, TokenDiameter / 2 + 4);
    };
    bool travelling = false;
    for (const AnimationTimeline::Token &k : timeline_.tokens()) {
        if (k.msg != followed || !AnimationTimeline::onLink(k, t))
            continue;
        const QPointF pos = timeline_.tokenPosition(k, t);
        ring(pos, k.colour, false);
        tag(pos + QPointF(TokenDiameter / 2 + 4, -TokenDiameter / 2 - fm.height() - 4));
        travelling = true;
    }
    if (travelling)
        return;
    const int node = follow_.nodeAt(t);
    if (node < 0 || std::size_t(node) >= timeline_.nodes().size())
        return;
    // Resting at a node (waiting in a queue, in a consumer's buffer or service): a token on
    // the card's top edge, so the node's name and read-outs stay readable.
    const int colour = timeline_.colourOf(followed);
    const QPointF c = timeline_.nodes()[std::size_t(node)].centre;
    const QPointF pos(c.x() + NodeSize.width() / 2 - 14, c.y() - NodeSize.height() / 2);
    ring(pos, colour, true);
    tag(pos + QPointF(TokenDiameter / 2 + 5, -fm.height() / 2 - 1));
}

} // namespace ql
