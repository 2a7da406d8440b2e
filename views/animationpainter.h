// Draws what the animation timeline shows at one moment, for the run overlay: tokens
// blitted from device-pixel sprites (vector ellipses on SVG, PDF and print), flow lines with
// rate labels from a cached pixmap, each queue's fill bar, each consumer's busy dots, the
// drop bursts, and the ring and badge of the followed message. It holds only drawing
// resources (colours from the canvas palette, sprites, the flow cache); what to draw comes
// from the timeline and the follow tracker it was made with.
#pragma once

#include "scenario/scenario.h"

#include <QColor>
#include <QFont>
#include <QPixmap>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <vector>

class QPainter;
class QPalette;

namespace ql {

class AnimationTimeline;
class FollowTracker;

class AnimationPainter
{
public:
    static constexpr double TokenDiameter = 11; // scene units

    AnimationPainter(const AnimationTimeline &timeline, const FollowTracker &follow);

    // Where the read-outs of the node at `centre` are drawn, and a drop burst at `pos`:
    // the regions to repaint when they change.
    static QRectF stripRect(const QPointF &centre);
    static QRectF flashRect(const QPointF &pos);

    // The editor's link labels (flow rate labels keep clear of them) and the time unit.
    void setScenario(const Scenario &scenario);
    // The canvas' colours; cheap when the palette is the one already taken.
    void setPalette(const QPalette &palette);
    // What the flow lines show changed (rates, geometry, mode): redraw their cache.
    void flowsChanged() { ++flowVersion_; }
    // ... and free it (a new run).
    void forgetFlows();

    // Everything, as of wall time `wall`, over the overlay's `bounds` (scene coordinates).
    void paint(QPainter *painter, const QRectF &bounds, double wall);

private:
    void ensureSprites(int size);
    void paintFlows(QPainter *p, const QRectF &bounds);
    void drawFlows(QPainter *p);
    void paintTokens(QPainter *p, double t);
    void paintQueues(QPainter *p);
    void paintConsumers(QPainter *p);
    void drawBar(QPainter *p, const QRectF &strip, double share, const QColor &colour, const QString &text);
    void paintFlashes(QPainter *p, double t);
    void paintFollowed(QPainter *p, double t);

    const AnimationTimeline &timeline_;
    const FollowTracker &follow_;
    std::vector<QSizeF> labelSize_; // per link: the editor's label box at its middle, if any
    QString timeUnit_;

    // Cached drawing resources, rebuilt when the palette changes.
    qint64 paletteKey_ = -1;
    std::vector<QPixmap> sprites_;
    int spriteSize_ = 0;      // device pixels
    QPixmap flowCache_;       // the flow lines and labels at the last zoom, device pixels
    quint64 flowVersion_ = 0; // bumped whenever what the flow lines show changes
    quint64 flowCacheVersion_ = ~quint64(0);
    double flowCacheScale_ = 0;
    bool darkSprites_ = false;
    QColor ring_, gap_;
    QColor text_, track_, fill_, busyColour_, idleColour_, dropColour_, flowLow_, flowMid_, flowHigh_;
    QColor warnColour_, expiredColour_;
    QFont smallFont_;
};

} // namespace ql
