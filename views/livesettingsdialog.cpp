#include "livesettingsdialog.h"

#include "live/amqpuri.h"
#include "live/liverunner.h"
#include "live/livesetup.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QUrl>
#include <QVBoxLayout>

#include <cstdlib>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

// Where an empty URI field connects, masked, and why: the CLI's rule (amqpuri.h).
QString defaultUriText()
{
    const char *env = std::getenv("QUEUELAB_AMQP_URI");
    const bool fromEnv = env && *env;
    const QString masked = q(maskAmqpUri(configuredAmqpUri(LiveOptions{})));
    return fromEnv ? QObject::tr("%1 (from QUEUELAB_AMQP_URI)").arg(masked)
                   : QObject::tr("%1 (the default)").arg(masked);
}

} // namespace

LiveOptions LiveSettings::toOptions() const
{
    LiveOptions o;
    o.backend = backend == QLatin1String("amqp") ? "amqp" : "embedded";
    if (o.backend == "amqp") {
        const std::string pw = password.toStdString();
        if (!uri.trimmed().isEmpty())
            o.uri = uriWithPassword(uri.trimmed().toStdString(), pw);
        else if (!pw.empty())
            o.uri = uriWithPassword(configuredAmqpUri(LiveOptions{}), pw);
        // else: empty, the environment's URI or the default, as the CLI without --uri
    }
    if (durationSeconds > 0)
        o.durationSeconds = durationSeconds;
    o.timeScale = timeScale > 0 ? timeScale : 0;
    return o;
}

LiveSettingsDialog::LiveSettingsDialog(const Scenario &scenario, const LiveSettings &settings, QWidget *parent)
    : QDialog(parent)
    , scenario_(scenario)
{
    setObjectName(QStringLiteral("liveSettingsDialog"));
    setWindowTitle(tr("Live Settings"));

    auto *intro = new QLabel(tr("A live run deploys this topology on a real queue backend, drives it with "
                                "real messages at the configured rates and measures what happens. The "
                                "simulation of the same scenario runs beside it for comparison."),
                             this);
    intro->setWordWrap(true);

    // Backend.
    auto *backendBox = new QGroupBox(tr("Backend"), this);
    embedded_ = new QRadioButton(tr("&Embedded broker: in-process, real threads and bounded queues, "
                                    "nothing to install"),
                                 backendBox);
    embedded_->setObjectName(QStringLiteral("liveEmbedded"));
    amqp_ = new QRadioButton(tr("&RabbitMQ over AMQP"), backendBox);
    amqp_->setObjectName(QStringLiteral("liveAmqp"));
    auto *group = new QButtonGroup(this);
    group->addButton(embedded_);
    group->addButton(amqp_);

    amqpBox_ = new QWidget(backendBox);
    auto *amqpForm = new QFormLayout(amqpBox_);
    amqpForm->setContentsMargins(24, 0, 0, 0);
    uri_ = new QLineEdit(settings.uri, amqpBox_);
    uri_->setObjectName(QStringLiteral("liveUri"));
    uri_->setPlaceholderText(defaultUriText());
    uri_->setClearButtonEnabled(true);
    uri_->setToolTip(tr("amqp://user@host:port/vhost, or amqps:// for TLS. Empty: QUEUELAB_AMQP_URI, else "
                        "amqp://guest:guest@localhost:5672/. A password typed here moves to the "
                        "password field."));
    password_ = new QLineEdit(settings.password, amqpBox_);
    password_->setObjectName(QStringLiteral("livePassword"));
    password_->setEchoMode(QLineEdit::Password);
    password_->setPlaceholderText(tr("from the URI, QUEUELAB_AMQP_PASSWORD, or guest"));
    auto *passwordNote = new QLabel(tr("Kept for this session only: never saved to the scenario, "
                                       "the results or the settings."),
                                    amqpBox_);
    passwordNote->setWordWrap(true);
    passwordNote->setForegroundRole(QPalette::PlaceholderText);
    amqpForm->addRow(tr("&URI:"), uri_);
    amqpForm->addRow(tr("&Password:"), password_);
    amqpForm->addRow(QString(), passwordNote);

    auto *backendLayout = new QVBoxLayout(backendBox);
    backendLayout->addWidget(embedded_);
    backendLayout->addWidget(amqp_);
    backendLayout->addWidget(amqpBox_);

    // Time.
    auto *timeBox = new QGroupBox(tr("Time"), this);
    auto *timeForm = new QFormLayout(timeBox);
    ownDuration_ = new QCheckBox(tr("Run for"), timeBox);
    ownDuration_->setObjectName(QStringLiteral("liveOwnDuration"));
    duration_ = new QDoubleSpinBox(timeBox);
    duration_->setObjectName(QStringLiteral("liveDuration"));
    duration_->setRange(0.1, 24 * 3600);
    duration_->setDecimals(1);
    duration_->setSuffix(tr(" s wall-clock"));
    duration_->setValue(settings.durationSeconds > 0 ? settings.durationSeconds : 10);
    ownDuration_->setChecked(settings.durationSeconds > 0);
    auto *durationRow = new QHBoxLayout;
    durationRow->addWidget(ownDuration_);
    durationRow->addWidget(duration_, 1);
    timeForm->addRow(tr("Duration:"), durationRow);

    ownScale_ = new QCheckBox(tr("Scale"), timeBox);
    ownScale_->setObjectName(QStringLiteral("liveOwnTimeScale"));
    timeScale_ = new QDoubleSpinBox(timeBox);
    timeScale_->setObjectName(QStringLiteral("liveTimeScale"));
    timeScale_->setDecimals(4);
    timeScale_->setRange(0.0001, 1000);
    timeScale_->setSingleStep(0.001);
    timeScale_->setSuffix(tr(" wall s per scenario s"));
    timeScale_->setValue(settings.timeScale > 0 ? settings.timeScale : 0.001);
    ownScale_->setChecked(settings.timeScale > 0);
    timeScale_->setToolTip(tr("Scenarios in seconds run faster than real time: at 0.001 one second of "
                              "scenario time lasts one wall millisecond (the embedded default; amqp: "
                              "0.01). Scenarios in milliseconds run as written."));
    auto *scaleRow = new QHBoxLayout;
    scaleRow->addWidget(ownScale_);
    scaleRow->addWidget(timeScale_, 1);
    timeForm->addRow(tr("Time scale:"), scaleRow);

    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("liveSummary"));
    summary_->setWordWrap(true);
    summary_->setTextFormat(Qt::PlainText);
    summary_->setMinimumHeight(summary_->fontMetrics().lineSpacing() * 3);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    QPushButton *start = buttons->addButton(tr("&Start Live Run"), QDialogButtonBox::AcceptRole);
    start->setObjectName(QStringLiteral("liveStartButton"));
    start->setDefault(true); // what one opens the dialog for, usually
    connect(start, &QPushButton::clicked, this, [this] { start_ = true; });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(backendBox);
    layout->addWidget(timeBox);
    layout->addWidget(summary_);
    layout->addStretch(1);
    layout->addWidget(buttons);

    (settings.backend == QLatin1String("amqp") ? amqp_ : embedded_)->setChecked(true);
    for (QAbstractButton *b : {static_cast<QAbstractButton *>(embedded_), static_cast<QAbstractButton *>(amqp_),
                               static_cast<QAbstractButton *>(ownDuration_), static_cast<QAbstractButton *>(ownScale_)})
        connect(b, &QAbstractButton::toggled, this, &LiveSettingsDialog::updateSummary);
    connect(duration_, &QDoubleSpinBox::valueChanged, this, &LiveSettingsDialog::updateSummary);
    connect(timeScale_, &QDoubleSpinBox::valueChanged, this, &LiveSettingsDialog::updateSummary);
    connect(uri_, &QLineEdit::editingFinished, this, &LiveSettingsDialog::takePasswordFromUri);
    updateSummary();
    resize(sizeHint().expandedTo(QSize(560, 0)));
}

LiveSettingsDialog::~LiveSettingsDialog() = default;

LiveSettings LiveSettingsDialog::settings() const
{
    LiveSettings s;
    s.backend = amqp_->isChecked() ? QStringLiteral("amqp") : QStringLiteral("embedded");
    s.uri = QString::fromStdString(uriWithoutPassword(uri_->text().trimmed().toStdString()));
    s.password = password_->text();
    if (s.password.isEmpty()) {
        // A password typed into the URI field and not yet moved out of it.
        const std::string inline_ = uriPassword(uri_->text().trimmed().toStdString());
        s.password = QUrl::fromPercentEncoding(QByteArray::fromStdString(inline_));
    }
    s.durationSeconds = ownDuration_->isChecked() ? duration_->value() : 0;
    s.timeScale = ownScale_->isChecked() ? timeScale_->value() : 0;
    return s;
}

void LiveSettingsDialog::takePasswordFromUri()
{
    const std::string text = uri_->text().trimmed().toStdString();
    const std::string secret = uriPassword(text);
    if (secret.empty())
        return;
    // The password belongs in the masked field: the URI field shows it in clear.
    password_->setText(QUrl::fromPercentEncoding(QByteArray::fromStdString(secret)));
    uri_->setText(QString::fromStdString(uriWithoutPassword(text)));
}

void LiveSettingsDialog::updateSummary()
{
    amqpBox_->setEnabled(amqp_->isChecked());
    duration_->setEnabled(ownDuration_->isChecked());
    timeScale_->setEnabled(ownScale_->isChecked());
    if (!ownScale_->isChecked()) {
        // Unchecked, the box shows the default it stands for (it depends on the backend).
        LiveOptions o;
        o.backend = amqp_->isChecked() ? "amqp" : "embedded";
        const QSignalBlocker block(timeScale_);
        timeScale_->setValue(timeScaleOf(scenario_, wallSecondsPerUnit(scenario_, o)));
    }

    const LiveOptions o = settings().toOptions();
    const Scenario effective = liveScenario(scenario_, o);
    const double perUnit = wallSecondsPerUnit(scenario_, o);
    const double wall = effective.run.duration * perUnit;
    const QString unit = QString::fromLatin1(timeUnitName(scenario_.timeUnit));
    QString text = q(timeScaleLine(scenario_, o, "")) + QStringLiteral(".\n");
    text += tr("The run lasts %1 %2 of scenario time (warm-up %3 %2): about %4 wall-clock; the simulation "
               "of the same %1 %2 runs beside it (%5 replications).")
                .arg(QString::number(effective.run.duration, 'g', 6), unit,
                     QString::number(effective.run.warmup, 'g', 6), q(wallSpan(wall)))
                .arg(scenario_.run.replications);
    if (wall > 120)
        text += QStringLiteral("\n") + tr("That is a long run: set a duration to try it out first.");
    summary_->setText(text);
}

} // namespace ql
