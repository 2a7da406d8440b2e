// The distribution editor of the properties dock (see distributioneditor.h).
#include "distributioneditor.h"

#include "distributionpreview.h"
#include "propertyfield.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include <cmath>

namespace ql {

namespace {

constexpr DistKind kKinds[] = {
    DistKind::Exponential, DistKind::Deterministic, DistKind::Uniform, DistKind::Normal,
    DistKind::Lognormal,   DistKind::Erlang,        DistKind::Gamma,   DistKind::Weibull,
    DistKind::Hyperexponential, DistKind::Empirical,
};

// Parameter name (as in the file) and its label, in display order.
struct Param
{
    const char *name;
    const char *label;
};
constexpr Param kParams[] = {
    {"value", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Value")},
    {"min", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Minimum")},
    {"max", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Maximum")},
    {"k", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Phases (k)")},
    {"mean", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Mean")},
    {"stddev", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Std. deviation")},
    {"shape", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Shape")},
    {"scale", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Scale")},
    {"probabilities", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Probabilities")},
    {"means", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Means")},
    {"samples", QT_TRANSLATE_NOOP("ql::DistributionEditor", "Samples")},
};

QStringList paramsOf(DistKind kind)
{
    switch (kind) {
    case DistKind::Deterministic: return {"value"};
    case DistKind::Exponential: return {"mean"};
    case DistKind::Uniform: return {"min", "max"};
    case DistKind::Normal:
    case DistKind::Lognormal: return {"mean", "stddev"};
    case DistKind::Erlang: return {"k", "mean"};
    case DistKind::Gamma:
    case DistKind::Weibull: return {"shape", "scale"};
    case DistKind::Hyperexponential: return {"probabilities", "means"};
    case DistKind::Empirical: return {"samples"};
    }
    return {};
}

double round4(double v)
{
    if (v == 0 || !std::isfinite(v))
        return v;
    return QString::number(v, 'g', 4).toDouble();
}

} // namespace

DistributionEditor::DistributionEditor(const QString &name, QWidget *parent)
    : QWidget(parent)
    , kind_(new QComboBox(this))
    , kindError_(new QLabel(this))
    , fileNote_(new QLabel(this))
    , form_(new QFormLayout)
    , preview_(new DistributionPreview(this))
{
    setObjectName(name);
    kind_->setObjectName(name + QStringLiteral(".dist"));
    for (DistKind k : kKinds)
        kind_->addItem(kindLabel(k), int(k));
    kindError_->setWordWrap(true);
    kindError_->setVisible(false);
    fileNote_->setWordWrap(true);
    fileNote_->setVisible(false);
    fileNote_->setForegroundRole(QPalette::PlaceholderText);

    form_->setContentsMargins(0, 0, 0, 0);
    form_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form_->setLabelAlignment(Qt::AlignLeft);
    form_->setHorizontalSpacing(10);
    form_->setVerticalSpacing(6);
    form_->addRow(tr("Kind"), kind_);
    form_->addRow(kindError_);
    for (const Param &p : kParams) {
        const QString param = QLatin1String(p.name);
        auto *field = new PropertyField(name + QLatin1Char('.') + param, this);
        if (param == QLatin1String("probabilities") || param == QLatin1String("means")
            || param == QLatin1String("samples"))
            field->setPlaceholderText(tr("values separated by commas"));
        fields_.insert(param, field);
        form_->addRow(tr(p.label), field);
        connect(field, &PropertyField::edited, this,
                [this, param](const QString &text) { fieldEdited(param, text); });
    }
    form_->addRow(fileNote_);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);
    layout->addLayout(form_);
    layout->addWidget(preview_);

    connect(kind_, &QComboBox::activated, this, [this](int index) {
        const auto kind = DistKind(kind_->itemData(index).toInt());
        if (kind == current_.kind)
            return;
        emit edited(converted(current_, kind), QStringLiteral("dist"));
    });
    setDistribution(Distribution::exponential(1));
}

QString DistributionEditor::kindLabel(DistKind kind)
{
    switch (kind) {
    case DistKind::Deterministic: return tr("Deterministic (constant)");
    case DistKind::Exponential: return tr("Exponential");
    case DistKind::Uniform: return tr("Uniform");
    case DistKind::Normal: return tr("Normal");
    case DistKind::Lognormal: return tr("Lognormal");
    case DistKind::Erlang: return tr("Erlang");
    case DistKind::Gamma: return tr("Gamma");
    case DistKind::Weibull: return tr("Weibull");
    case DistKind::Hyperexponential: return tr("Hyperexponential");
    case DistKind::Empirical: return tr("Empirical (samples)");
    }
    return {};
}

void DistributionEditor::setAccent(const QColor &color)
{
    preview_->setAccent(color);
}

void DistributionEditor::setDistribution(const Distribution &d)
{
    loading_ = true;
    current_ = d;
    kind_->setCurrentIndex(kind_->findData(int(d.kind)));
    fields_["value"]->setText(formatNumber(d.value));
    fields_["mean"]->setText(formatNumber(d.mean));
    fields_["stddev"]->setText(formatNumber(d.stddev));
    fields_["min"]->setText(formatNumber(d.min));
    fields_["max"]->setText(formatNumber(d.max));
    fields_["k"]->setText(QString::number(d.k));
    fields_["shape"]->setText(formatNumber(d.shape));
    fields_["scale"]->setText(formatNumber(d.scale));
    fields_["probabilities"]->setText(formatNumberList(d.probabilities));
    fields_["means"]->setText(formatNumberList(d.means));
    fields_["samples"]->setText(formatNumberList(d.samples));
    clearErrors();
    showFields();
    preview_->setDistribution(d);
    loading_ = false;
}

void DistributionEditor::accept(const Distribution &d)
{
    const bool kindChanged = d.kind != current_.kind;
    if (kindChanged) {
        setDistribution(d);
        return;
    }
    current_ = d;
    clearErrors();
    preview_->setDistribution(d);
    showFields();
}

void DistributionEditor::refuse(const QString &param, const QString &message)
{
    if (PropertyField *f = fields_.value(param); f && paramsOf(current_.kind).contains(param)) {
        f->setError(message);
        return;
    }
    kindError_->setText(message);
    QPalette p = palette();
    p.setColor(QPalette::WindowText, errorColor(palette()));
    kindError_->setPalette(p);
    kindError_->setVisible(true);
    if (param == QLatin1String("dist"))
        kind_->setCurrentIndex(kind_->findData(int(current_.kind)));
}

void DistributionEditor::clearErrors()
{
    for (PropertyField *f : std::as_const(fields_))
        f->setError({});
    kindError_->clear();
    kindError_->setVisible(false);
}

void DistributionEditor::showFields()
{
    const QStringList visible = paramsOf(current_.kind);
    for (auto it = fields_.cbegin(); it != fields_.cend(); ++it)
        showRow(form_, it.value(), visible.contains(it.key()));
    const bool fromFile = current_.kind == DistKind::Empirical && !current_.file.empty();
    fileNote_->setVisible(fromFile);
    if (fromFile)
        fileNote_->setText(tr("%n samples read from %1; typing values here replaces the file.",
                              nullptr, int(current_.samples.size()))
                               .arg(QString::fromStdString(current_.file)));
}

void DistributionEditor::fieldEdited(const QString &param, const QString &text)
{
    if (loading_)
        return;
    Distribution trial = current_;
    QString error;
    if (param == QLatin1String("k")) {
        const auto v = parseInteger(text, &error);
        if (!v) {
            refuse(param, error);
            return;
        }
        if (*v < 1 || *v > 1000000) {
            refuse(param, tr("must be between 1 and 1000000, got %1").arg(*v));
            return;
        }
        trial.k = int(*v);
    } else if (param == QLatin1String("probabilities") || param == QLatin1String("means")
               || param == QLatin1String("samples")) {
        const auto v = parseNumberList(text, &error);
        if (!v) {
            refuse(param, error);
            return;
        }
        if (param == QLatin1String("probabilities"))
            trial.probabilities = *v;
        else if (param == QLatin1String("means"))
            trial.means = *v;
        else {
            trial.samples = *v;
            trial.file.clear();
        }
    } else {
        const auto v = parseNumber(text, &error);
        if (!v) {
            refuse(param, error);
            return;
        }
        double *target = param == QLatin1String("value")    ? &trial.value
                         : param == QLatin1String("mean")   ? &trial.mean
                         : param == QLatin1String("stddev") ? &trial.stddev
                         : param == QLatin1String("min")    ? &trial.min
                         : param == QLatin1String("max")    ? &trial.max
                         : param == QLatin1String("shape")  ? &trial.shape
                                                            : &trial.scale;
        *target = *v;
    }
    emit edited(trial, param);
}

Distribution DistributionEditor::converted(const Distribution &from, DistKind kind)
{
    double m = from.expectation();
    if (!std::isfinite(m) || m <= 0)
        m = 1;
    m = round4(m);
    Distribution d;
    d.kind = kind;
    switch (kind) {
    case DistKind::Deterministic: d.value = m; break;
    case DistKind::Exponential: d.mean = m; break;
    case DistKind::Uniform:
        d.min = round4(m / 2);
        d.max = round4(m * 1.5);
        break;
    case DistKind::Normal:
        d.mean = m;
        d.stddev = round4(m / 4);
        break;
    case DistKind::Lognormal:
        d.mean = m;
        d.stddev = round4(m / 2);
        break;
    case DistKind::Erlang:
        d.k = 2;
        d.mean = m;
        break;
    case DistKind::Gamma:
        d.shape = 2;
        d.scale = round4(m / 2);
        break;
    case DistKind::Weibull:
        d.shape = 1.5;
        d.scale = round4(m / std::tgamma(1 + 1 / 1.5));
        break;
    case DistKind::Hyperexponential:
        // Mean m and SCV 3: a mix of many short and a few long times.
        d.probabilities = {0.8, 0.2};
        d.means = {round4(m / 2), round4(m * 3)};
        break;
    case DistKind::Empirical:
        d.samples = {round4(m / 2), round4(m * 0.8), m, round4(m * 1.2), round4(m * 1.5)};
        break;
    }
    return d;
}

} // namespace ql
