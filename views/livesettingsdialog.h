// Run > Live Settings: where and how a live run sends real traffic. The backend (the
// embedded in-process broker, the default, or RabbitMQ over AMQP with a URI and a masked
// password), the wall-clock duration and, for scenarios in seconds, the time scale, with a
// line that says what they mean for this scenario ("1 s of scenario time = 1 ms wall; about
// 10 s wall"). The settings are the CLI's `live` options (LiveOptions); nothing here is
// saved to the scenario, and the caller decides what to remember (never the password).
#pragma once

#include "live/transport.h"
#include "scenario/scenario.h"

#include <QDialog>
#include <QString>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QWidget;

namespace ql {

struct LiveSettings
{
    QString backend = QStringLiteral("embedded"); // "embedded" or "amqp"
    // The AMQP URI without its password; empty: $QUEUELAB_AMQP_URI, else
    // amqp://guest:guest@localhost:5672/ (as the CLI without --uri).
    QString uri;
    QString password;            // for this session only; empty: the URI's own, if any
    double durationSeconds = 0;  // wall-clock seconds of the whole run; 0: the scenario's
    double timeScale = 0;        // wall seconds per scenario second; 0: the default

    // The LiveRunner's options: the password goes into the URI here and nowhere else.
    LiveOptions toOptions() const;
    bool operator==(const LiveSettings &) const = default;
};

class LiveSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    LiveSettingsDialog(const Scenario &scenario, const LiveSettings &settings, QWidget *parent = nullptr);
    ~LiveSettingsDialog() override;

    LiveSettings settings() const;
    // The dialog was closed with "Start Live Run" rather than OK.
    bool startRequested() const { return start_; }

private:
    void updateSummary();
    void takePasswordFromUri();

    Scenario scenario_;
    QRadioButton *embedded_ = nullptr;
    QRadioButton *amqp_ = nullptr;
    QWidget *amqpBox_ = nullptr;
    QLineEdit *uri_ = nullptr;
    QLineEdit *password_ = nullptr;
    QCheckBox *ownDuration_ = nullptr;
    QDoubleSpinBox *duration_ = nullptr;
    QCheckBox *ownScale_ = nullptr;
    QDoubleSpinBox *timeScale_ = nullptr;
    QLabel *summary_ = nullptr;
    bool start_ = false;
};

} // namespace ql
