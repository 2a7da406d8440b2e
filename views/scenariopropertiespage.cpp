// The scenario and run settings page (see scenariopropertiespage.h).
#include "scenariopropertiespage.h"

#include "canvasmetrics.h"
#include "propertyfield.h"
#include "trialvalidator.h"

#include <QComboBox>
#include <QFormLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace ql {

ScenarioPropertiesPage::ScenarioPropertiesPage(ScenarioDocument *document, TrialValidator *validator,
                                               QWidget *parent)
    : PropertyPage(document, validator, parent)
{
    setObjectName(QStringLiteral("scenarioPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    QLabel *icon = nullptr;
    layout->addWidget(makeHeader(&icon, &title_, &subtitle_));
    icon->setPixmap(QIcon(QStringLiteral(":/icons/queuelab.svg")).pixmap(32, 32));

    auto *form = newForm();
    form->addRow(sectionLabel(tr("Scenario")));
    name_ = new PropertyField(QStringLiteral("name"));
    form->addRow(tr("Name"), name_);
    description_ = new QPlainTextEdit;
    description_->setObjectName(QStringLiteral("description"));
    description_->setPlaceholderText(tr("What this scenario shows (Markdown)"));
    description_->setTabChangesFocus(true);
    description_->setFixedHeight(110);
    form->addRow(tr("Description"), description_);
    timeUnit_ = new QComboBox;
    timeUnit_->setObjectName(QStringLiteral("time_unit"));
    timeUnit_->addItem(tr("seconds (s)"), int(TimeUnit::Seconds));
    timeUnit_->addItem(tr("milliseconds (ms)"), int(TimeUnit::Milliseconds));
    form->addRow(tr("Time unit"), timeUnit_);
    layout->addLayout(form);

    runForm_ = newForm();
    runForm_->addRow(sectionLabel(tr("Run")));
    duration_ = new PropertyField(QStringLiteral("run.duration"));
    warmup_ = new PropertyField(QStringLiteral("run.warmup"));
    seed_ = new PropertyField(QStringLiteral("run.seed"));
    replications_ = new PropertyField(QStringLiteral("run.replications"));
    maxMessages_ = new PropertyField(QStringLiteral("run.max_messages"));
    maxMessages_->setPlaceholderText(tr("no limit"));
    sampleInterval_ = new PropertyField(QStringLiteral("run.sample_interval"));
    sampleInterval_->setPlaceholderText(tr("automatic (duration / 100)"));
    runForm_->addRow(tr("Duration"), duration_);
    runForm_->addRow(tr("Warm-up"), warmup_);
    runForm_->addRow(tr("Seed"), seed_);
    runForm_->addRow(tr("Replications"), replications_);
    runForm_->addRow(tr("Max messages"), maxMessages_);
    runForm_->addRow(tr("Sample interval"), sampleInterval_);
    layout->addLayout(runForm_);

    layout->addWidget(sectionLabel(tr("Checks")));
    checks_ = new QLabel;
    checks_->setObjectName(QStringLiteral("checks"));
    checks_->setWordWrap(true);
    checks_->setTextFormat(Qt::RichText);
    checks_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(checks_);

    connect(name_, &PropertyField::edited, this, [this](const QString &text) {
        tryEdit(QStringLiteral("name"),
                [&](ScenarioHeader &h, QString *) {
                    h.name = text.toStdString();
                    return true;
                },
                [this](const QString &m, const QString &) { name_->setError(m); });
    });
    connect(name_, &PropertyField::editingFinished, this, &PropertyPage::endSession);
    connect(description_, &QPlainTextEdit::textChanged, this, [this] {
        if (loading_)
            return;
        const std::string text = description_->toPlainText().toStdString();
        if (text == document_->scenario().description)
            return;
        tryEdit(QStringLiteral("description"),
                [&](ScenarioHeader &h, QString *) {
                    h.description = text;
                    return true;
                },
                [](const QString &, const QString &) {});
    });
    connect(timeUnit_, &QComboBox::activated, this, [this](int index) {
        endSession();
        tryEdit(QStringLiteral("time_unit"),
                [&](ScenarioHeader &h, QString *) {
                    h.timeUnit = TimeUnit(timeUnit_->itemData(index).toInt());
                    return true;
                },
                [](const QString &, const QString &) {});
        endSession();
        load(); // the unit in the labels
    });

    bindField(duration_, QStringLiteral("run.duration"),
              [](ScenarioHeader &h, const QString &text, QString *err) {
                  const auto v = parseNumber(text, err);
                  return v ? (h.run.duration = *v, true) : false;
              });
    bindField(warmup_, QStringLiteral("run.warmup"), [](ScenarioHeader &h, const QString &text, QString *err) {
        const auto v = parseNumber(text, err);
        return v ? (h.run.warmup = *v, true) : false;
    });
    bindField(seed_, QStringLiteral("run.seed"), [](ScenarioHeader &h, const QString &text, QString *err) {
        bool ok = false;
        const quint64 v = text.trimmed().toULongLong(&ok);
        if (!ok) {
            *err = tr("must be a whole number >= 0");
            return false;
        }
        h.run.seed = v;
        return true;
    });
    bindField(replications_, QStringLiteral("run.replications"),
              [](ScenarioHeader &h, const QString &text, QString *err) {
                  const auto v = parseInteger(text, err);
                  if (!v)
                      return false;
                  if (*v < 1 || *v > 10000) {
                      *err = tr("must be between 1 and 10000, got %1").arg(*v);
                      return false;
                  }
                  h.run.replications = int(*v);
                  return true;
              });
    bindField(maxMessages_, QStringLiteral("run.max_messages"),
              [](ScenarioHeader &h, const QString &text, QString *err) {
                  if (text.trimmed().isEmpty()) {
                      h.run.maxMessages.reset();
                      return true;
                  }
                  const auto v = parseInteger(text, err);
                  return v ? (h.run.maxMessages = *v, true) : false;
              });
    bindField(sampleInterval_, QStringLiteral("run.sample_interval"),
              [](ScenarioHeader &h, const QString &text, QString *err) {
                  if (text.trimmed().isEmpty()) {
                      h.run.sampleInterval = 0;
                      return true;
                  }
                  const auto v = parseNumber(text, err);
                  return v ? (h.run.sampleInterval = *v, true) : false;
              });
}

void ScenarioPropertiesPage::bindField(PropertyField *field, const QString &path,
                                       std::function<bool(ScenarioHeader &, const QString &, QString *)> apply)
{
    connect(field, &PropertyField::edited, this, [this, field, path, apply](const QString &text) {
        tryEdit(path, [&](ScenarioHeader &h, QString *err) { return apply(h, text, err); },
                [field](const QString &m, const QString &) { field->setError(m); });
    });
    connect(field, &PropertyField::editingFinished, this, &PropertyPage::endSession);
}

bool ScenarioPropertiesPage::tryEdit(const QString &path,
                                     const std::function<bool(ScenarioHeader &, QString *)> &mutate,
                                     const ErrorSink &error)
{
    ScenarioHeader trial = document_->header();
    QString err;
    if (!mutate(trial, &err)) {
        error(err, {});
        return false;
    }
    Scenario s = document_->scenario();
    s.name = trial.name;
    s.description = trial.description;
    s.timeUnit = trial.timeUnit;
    s.run = trial.run;
    if (const auto d = validator_->newError(s)) {
        error(describe(*d, path), QString::fromStdString(d->path));
        return false;
    }
    error({}, {});
    if (trial == document_->header())
        return true;
    emit editRequested(trial, mergeKey(path));
    title_->setText(trial.name.empty() ? tr("Untitled scenario") : QString::fromStdString(trial.name));
    return true;
}

void ScenarioPropertiesPage::load()
{
    const Scenario &s = document_->scenario();
    loading_ = true;
    title_->setText(s.name.empty() ? tr("Untitled scenario") : QString::fromStdString(s.name));
    subtitle_->setText(tr("Scenario \u00b7 %1, %2")
                           .arg(countText(qsizetype(s.nodes.size()), "node", "nodes"),
                                countText(qsizetype(s.links.size()), "link", "links")));
    name_->setText(QString::fromStdString(s.name));
    if (description_->toPlainText().toStdString() != s.description)
        description_->setPlainText(QString::fromStdString(s.description));
    timeUnit_->setCurrentIndex(timeUnit_->findData(int(s.timeUnit)));
    duration_->setText(formatNumber(s.run.duration));
    warmup_->setText(formatNumber(s.run.warmup));
    seed_->setText(QString::number(s.run.seed));
    replications_->setText(QString::number(s.run.replications));
    maxMessages_->setText(s.run.maxMessages ? QString::number(*s.run.maxMessages) : QString());
    sampleInterval_->setText(s.run.sampleInterval > 0 ? formatNumber(s.run.sampleInterval) : QString());
    const QString unit = QLatin1String(timeUnitName(s.timeUnit));
    auto relabel = [this](QWidget *field, const QString &text) {
        if (auto *label = qobject_cast<QLabel *>(runForm_->labelForField(field)))
            label->setText(text);
    };
    relabel(duration_, tr("Duration (%1)").arg(unit));
    relabel(warmup_, tr("Warm-up (%1)").arg(unit));
    relabel(sampleInterval_, tr("Sample every (%1)").arg(unit));
    loading_ = false;
    updateProblems();
}

void ScenarioPropertiesPage::updateProblems()
{
    std::vector<Diagnostic> items = diagnostics_.errors();
    for (const Diagnostic &d : diagnostics_.warnings())
        items.push_back(d);
    if (items.empty())
        checks_->setText(QStringLiteral("<span style='color:%1'>\u2714</span> %2")
                             .arg(canvasColors(palette()).valid.name(), tr("No problems: ready to run.")));
    else
        checks_->setText(problemsHtml(items, 12));
}

} // namespace ql
