// Edits one distribution of a node (a producer's interarrival time, a consumer's service
// time): a kind combo, the parameter fields that kind takes, and a preview of the density
// with its mean and SCV. The editor parses what is typed; whether the value is acceptable
// (mean > 0, probabilities adding up to 1 ...) is the owner's call, made with the same
// validation the file loader uses: it answers edited() with accept() or refuse().
#pragma once

#include "random/distribution.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;

namespace ql {

class DistributionPreview;
class PropertyField;

class DistributionEditor : public QWidget
{
    Q_OBJECT
public:
    // `name` prefixes the fields' object names ("service" -> "service.mean").
    explicit DistributionEditor(const QString &name, QWidget *parent = nullptr);

    // Shows a distribution from the document: no signal, errors cleared.
    void setDistribution(const Distribution &distribution);
    const Distribution &distribution() const { return current_; }
    void setAccent(const QColor &color);

    // The owner's answer to edited().
    void accept(const Distribution &distribution);
    // `param` is the parameter the problem is about ("mean", "probabilities"); an unknown
    // or empty one shows the message under the kind combo.
    void refuse(const QString &param, const QString &message);

    QComboBox *kindCombo() const { return kind_; }
    PropertyField *field(const QString &param) const { return fields_.value(param); }
    DistributionPreview *preview() const { return preview_; }

    // `from` turned into `kind` with the same mean, with shape parameters that show the
    // kind's character (what switching the combo does).
    static Distribution converted(const Distribution &from, DistKind kind);
    static QString kindLabel(DistKind kind);

signals:
    void edited(const ql::Distribution &trial, const QString &param);

private:
    void showFields();
    void fieldEdited(const QString &param, const QString &text);
    void clearErrors();

    QComboBox *kind_;
    QLabel *kindError_;
    QLabel *fileNote_;
    QFormLayout *form_;
    QHash<QString, PropertyField *> fields_;
    DistributionPreview *preview_;
    Distribution current_;
    bool loading_ = false;
};

} // namespace ql
