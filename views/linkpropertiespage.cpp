// The link page of the properties dock (see linkpropertiespage.h).
#include "linkpropertiespage.h"

#include "keyvalueeditor.h"
#include "propertyfield.h"

#include "topology/nodekinds.h"
#include "scenariodocument.h"
#include "themedicon.h"
#include "trialvalidator.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

LinkPropertiesPage::LinkPropertiesPage(ScenarioDocument *document, TrialValidator *validator,
                                       QWidget *parent)
    : PropertyPage(document, validator, parent)
{
    setObjectName(QStringLiteral("linkPage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    QLabel *icon = nullptr;
    layout->addWidget(makeHeader(&icon, &title_, &subtitle_));
    icon->setPixmap(themedIcon(QStringLiteral("link-tool")).pixmap(28, 28));
    problems_ = newProblemsLabel();
    layout->addWidget(problems_);

    form_ = newForm();
    bindingKey_ = new PropertyField(QStringLiteral("binding_key"));
    bindingKey_->setPlaceholderText(tr("empty key"));
    form_->addRow(tr("Binding key"), bindingKey_);
    match_ = new QComboBox;
    match_->setObjectName(QStringLiteral("match"));
    match_->addItem(tr("all (every argument matches)"), int(HeadersMatch::All));
    match_->addItem(tr("any (one argument matches)"), int(HeadersMatch::Any));
    form_->addRow(tr("Match"), match_);
    arguments_ = new KeyValueEditor(QStringLiteral("arguments"), tr("Header"), tr("Value"));
    form_->addRow(tr("Arguments"), arguments_);
    probability_ = new PropertyField(QStringLiteral("probability"));
    probability_->setPlaceholderText(tr("always (the only onward link)"));
    form_->addRow(tr("Probability"), probability_);
    hint_ = hintLabel();
    hint_->setContentsMargins(0, 6, 0, 0);
    form_->addRow(hint_);
    layout->addLayout(form_);

    connect(bindingKey_, &PropertyField::edited, this, [this](const QString &text) {
        tryEdit(QStringLiteral("binding_key"),
                [&](Link &l, QString *) {
                    l.bindingKey = text.toStdString();
                    return true;
                },
                [this](const QString &m, const QString &) { bindingKey_->setError(m); });
    });
    connect(bindingKey_, &PropertyField::editingFinished, this, &PropertyPage::endSession);
    connect(match_, &QComboBox::activated, this, [this](int index) {
        endSession();
        tryEdit(QStringLiteral("match"),
                [&](Link &l, QString *) {
                    l.match = HeadersMatch(match_->itemData(index).toInt());
                    return true;
                },
                [](const QString &, const QString &) {});
        endSession();
    });
    connect(arguments_, &KeyValueEditor::edited, this, [this] {
        tryEdit(QStringLiteral("arguments"),
                [this](Link &l, QString *) {
                    l.arguments.clear();
                    for (const auto &[k, v] : arguments_->pairs())
                        l.arguments.emplace_back(k.toStdString(), v.toStdString());
                    return true;
                },
                [this](const QString &m, const QString &) { arguments_->setError(m); });
    });
    connect(probability_, &PropertyField::edited, this, [this](const QString &text) {
        tryEdit(QStringLiteral("probability"),
                [&](Link &l, QString *err) {
                    if (text.trimmed().isEmpty()) {
                        l.probability.reset();
                        return true;
                    }
                    const auto v = parseNumber(text, err);
                    return v ? (l.probability = *v, true) : false;
                },
                [this](const QString &m, const QString &) { probability_->setError(m); });
    });
    connect(probability_, &PropertyField::editingFinished, this, &PropertyPage::endSession);
}

bool LinkPropertiesPage::tryEdit(const QString &path, const std::function<bool(Link &, QString *)> &mutate,
                                 const ErrorSink &error)
{
    const Scenario &current = document_->scenario();
    if (index_ < 0 || index_ >= int(current.links.size()))
        return false;
    Link trial = current.links[std::size_t(index_)];
    QString err;
    if (!mutate(trial, &err)) {
        error(err, {});
        return false;
    }
    Scenario s = current;
    s.links[std::size_t(index_)] = trial;
    if (const auto d = validator_->newError(s)) {
        error(describe(*d, QStringLiteral("links[%1].%2").arg(index_).arg(path)), q(d->path));
        return false;
    }
    error({}, {});
    if (trial == current.links[std::size_t(index_)])
        return true;
    emit editRequested(index_, trial, mergeKey(path));
    return true;
}

void LinkPropertiesPage::setLinkIndex(int index)
{
    index_ = index;
    endSession();
    load();
}

void LinkPropertiesPage::load()
{
    const Scenario &s = document_->scenario();
    if (index_ < 0 || index_ >= int(s.links.size()))
        return;
    const Link &l = s.links[std::size_t(index_)];
    const Node *from = s.node(l.from);
    const Node *to = s.node(l.to);
    if (!from || !to)
        return;
    loading_ = true;
    subtitle_->setText(QStringLiteral("%1 \u2192 %2").arg(q(l.from), q(l.to)));
    const bool binding = from->kind == NodeKind::Exchange;
    const bool keyed = binding && (from->exchangeType == ExchangeType::Direct
                                   || from->exchangeType == ExchangeType::Topic);
    const bool headers = binding && from->exchangeType == ExchangeType::Headers;
    QString title;
    QString hint;
    switch (from->kind) {
    case NodeKind::Producer:
        title = tr("Publish");
        hint = to->kind == NodeKind::Queue
                   ? tr("The producer publishes straight to this queue (AMQP's default exchange): "
                        "every message goes there, whatever its routing key.")
                   : tr("The producer publishes every message to this exchange, which routes it by "
                        "its bindings.");
        break;
    case NodeKind::Exchange:
        title = tr("Binding");
        switch (from->exchangeType) {
        case ExchangeType::Fanout:
            hint = tr("A fanout exchange copies every message to every bound queue; the binding "
                      "needs no key.");
            break;
        case ExchangeType::Headers:
            hint = tr("The message goes to this queue when its headers match the arguments (all "
                      "of them, or any one).");
            break;
        case ExchangeType::Topic:
            hint = tr("Topic pattern: words separated by dots, * matches one word, # zero or more "
                      "(e.g. order.*, #.paid).");
            break;
        case ExchangeType::Direct:
            hint = tr("The message goes to this queue when its routing key equals the binding key.");
            break;
        }
        break;
    case NodeKind::Queue:
        title = tr("Subscription");
        hint = tr("The consumer takes messages from this queue. A consumer subscribes to exactly "
                  "one queue; several consumers on one queue compete for its messages.");
        break;
    case NodeKind::Consumer:
        title = tr("Onward link");
        hint = tr("After service the consumer passes the message on. With several onward links "
                  "each needs a probability; they add up to at most 1 and the rest leaves the "
                  "system.");
        break;
    case NodeKind::Delay:
        title = tr("Onward link");
        hint = tr("After its delay the message goes on. With several onward links each needs a "
                  "probability; they add up to at most 1 and the rest leaves the system.");
        break;
    case NodeKind::Sink:
        break;
    }
    title_->setText(title);
    hint_->setText(hint);
    showRow(form_, bindingKey_, keyed);
    showRow(form_, match_, headers);
    showRow(form_, arguments_, headers);
    showRow(form_, probability_, nodeKindInfo(from->kind).outDegree == OutDegree::Probabilities);
    bindingKey_->setText(q(l.bindingKey));
    match_->setCurrentIndex(match_->findData(int(l.match)));
    KeyValueEditor::Pairs args;
    for (const auto &[k, v] : l.arguments)
        args.append({q(k), q(v)});
    arguments_->setPairs(args);
    probability_->setText(l.probability ? formatNumber(*l.probability) : QString());
    loading_ = false;
    updateProblems();
}

void LinkPropertiesPage::updateProblems()
{
    const QString html = index_ < 0 ? QString() : problemsHtml("links[" + std::to_string(index_) + "]", 6);
    problems_->setText(html);
    problems_->setVisible(!html.isEmpty());
}

} // namespace ql
