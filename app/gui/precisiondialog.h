// Run > Stop at Precision: whether replications run until every watched metric's 95%
// interval is within a target relative half-width (sim/replications.h, PrecisionRule), the
// target and the budget. The metrics are the model's defaults (end-to-end latency and
// throughput, every queue's wait, every consumer's utilization).
#pragma once

#include "sim/replications.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QSpinBox;

namespace ql {

class PrecisionDialog : public QDialog
{
    Q_OBJECT
public:
    PrecisionDialog(const std::optional<ql::PrecisionRule> &rule, QWidget *parent = nullptr);
    // None when the box is unticked.
    std::optional<ql::PrecisionRule> rule() const;

private:
    QCheckBox *enabled_;
    QDoubleSpinBox *target_;
    QSpinBox *maxReplications_;
    QDoubleSpinBox *maxSeconds_;
};

} // namespace ql
