#include "precisiondialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace ql {

PrecisionDialog::PrecisionDialog(const std::optional<PrecisionRule> &rule, QWidget *parent)
    : QDialog(parent)
    , enabled_(new QCheckBox(tr("Run replications until the intervals are tight enough"), this))
    , target_(new QDoubleSpinBox(this))
    , maxReplications_(new QSpinBox(this))
    , maxSeconds_(new QDoubleSpinBox(this))
{
    setObjectName(QStringLiteral("precisionDialog"));
    setWindowTitle(tr("Stop at Precision"));
    const PrecisionRule r = rule.value_or(PrecisionRule{});
    enabled_->setObjectName(QStringLiteral("precisionEnabled"));
    enabled_->setChecked(rule.has_value());
    target_->setObjectName(QStringLiteral("precisionTarget"));
    target_->setRange(0.1, 50);
    target_->setDecimals(1);
    target_->setSingleStep(0.5);
    target_->setSuffix(QStringLiteral(" %"));
    target_->setValue(r.target * 100);
    maxReplications_->setObjectName(QStringLiteral("precisionMaxReplications"));
    maxReplications_->setRange(kPrecisionMinReplications, kPrecisionMaxReplications);
    maxReplications_->setValue(r.maxReplications > 0 ? r.maxReplications : 200);
    maxSeconds_->setObjectName(QStringLiteral("precisionMaxSeconds"));
    maxSeconds_->setRange(0, 3600);
    maxSeconds_->setDecimals(0);
    maxSeconds_->setSuffix(QStringLiteral(" s"));
    maxSeconds_->setSpecialValueText(tr("no limit"));
    maxSeconds_->setValue(r.maxSeconds > 0 ? r.maxSeconds : 60);

    auto *note = new QLabel(tr("Watches end-to-end latency and throughput, every queue's wait and every "
                               "consumer's utilization; stops when each 95% half-width is below the target "
                               "share of its mean, or when the budget is spent. At least %1 replications run.")
                                .arg(kPrecisionMinReplications),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);
    auto *form = new QFormLayout;
    form->addRow(tr("Relative half-width:"), target_);
    form->addRow(tr("At most:"), maxReplications_);
    form->addRow(tr("Wall-clock budget:"), maxSeconds_);
    maxReplications_->setSuffix(tr(" replications"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto update = [this] {
        for (QWidget *w : {static_cast<QWidget *>(target_), static_cast<QWidget *>(maxReplications_),
                           static_cast<QWidget *>(maxSeconds_)})
            w->setEnabled(enabled_->isChecked());
    };
    connect(enabled_, &QCheckBox::toggled, this, update);
    update();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(enabled_);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(buttons);
}

std::optional<PrecisionRule> PrecisionDialog::rule() const
{
    if (!enabled_->isChecked())
        return std::nullopt;
    PrecisionRule r;
    r.target = target_->value() / 100;
    r.maxReplications = maxReplications_->value();
    r.maxSeconds = maxSeconds_->value();
    return r;
}

} // namespace ql
