// The node page of the properties dock (see nodepropertiespage.h).
#include "nodepropertiespage.h"

#include "canvasmetrics.h"
#include "distributioneditor.h"
#include "keyvalueeditor.h"
#include "nodeitem.h"
#include "propertyfield.h"
#include "scenariodocument.h"
#include "trialvalidator.h"

#include "topology/nodekinds.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QPainter>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace ql {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QPixmap badgePixmap(NodeKind kind, bool dark, qreal dpr)
{
    QPixmap pm(QSize(32, 32) * dpr);
    pm.setDevicePixelRatio(dpr);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    NodeItem::paintBadge(&p, kind, QPointF(16, 16), 15, dark);
    return pm;
}

bool validIdText(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_.-]+$"));
    return re.match(id).hasMatch();
}

QString exchangeHint(ExchangeType t)
{
    switch (t) {
    case ExchangeType::Direct:
        return QObject::tr("Routes a message to the queues whose binding key equals its routing key.");
    case ExchangeType::Fanout:
        return QObject::tr("Copies every message to every bound queue; keys are ignored.");
    case ExchangeType::Topic:
        return QObject::tr("Matches routing keys against binding patterns: * is one word, # is "
                           "zero or more (order.*, #.paid).");
    case ExchangeType::Headers:
        return QObject::tr("Matches message headers against each binding's arguments (all or any).");
    }
    return {};
}

// "nodes[2].service.mean" -> "mean", for the distribution at "nodes[2].service".
QString paramOf(const QString &diagPath, const QString &distPath)
{
    if (!diagPath.startsWith(distPath + QLatin1Char('.')))
        return {};
    QString rest = diagPath.mid(distPath.size() + 1);
    static const QRegularExpression end(QStringLiteral("[.\\[]"));
    const int cut = int(rest.indexOf(end));
    if (cut >= 0)
        rest.truncate(cut);
    if (rest == QLatin1String("rate"))
        return QStringLiteral("mean");
    if (rest == QLatin1String("file"))
        return QStringLiteral("samples");
    return rest;
}

bool integerIn(const QString &text, qint64 lo, qint64 hi, qint64 *out, QString *err)
{
    const auto v = parseInteger(text, err);
    if (!v)
        return false;
    if (*v < lo || *v > hi) {
        *err = QObject::tr("must be between %1 and %2, got %3").arg(lo).arg(hi).arg(*v);
        return false;
    }
    *out = *v;
    return true;
}

// An integer key of a kind, within the limits the node-kind table gives it (the reader's).
bool integerField(NodeKind kind, const char *key, const QString &text, qint64 *out, QString *err)
{
    const FieldSpec *f = nodeField(kind, key);
    return integerIn(text, f->min, f->max, out, err);
}

// An optional value of a node: empty text is "none", anything else must parse.
template<typename T, typename Parse>
bool setOptional(std::optional<T> &target, const QString &text, QString *err, Parse parse)
{
    if (text.trimmed().isEmpty()) {
        target.reset();
        return true;
    }
    const auto v = parse(text, err);
    return v ? (target = T(*v), true) : false;
}

} // namespace

NodePropertiesPage::NodePropertiesPage(ScenarioDocument *document, TrialValidator *validator,
                                       QWidget *parent)
    : PropertyPage(document, validator, parent)
{
    setObjectName(QStringLiteral("nodePage"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(makeHeader(&icon_, &title_, &subtitle_));
    problems_ = newProblemsLabel();
    problems_->setObjectName(QStringLiteral("nodeProblems"));
    layout->addWidget(problems_);

    form_ = newForm();
    id_ = new PropertyField(QStringLiteral("id"));
    form_->addRow(tr("Id"), id_);
    connect(id_, &PropertyField::edited, this, &NodePropertiesPage::idEdited);
    connect(id_, &PropertyField::editingFinished, this, &NodePropertiesPage::idFinished);
    buildProducerRows();
    buildExchangeRows();
    buildQueueRows();
    buildConsumerRows();
    buildDelayRows();
    QLabel *sinkNote = hintLabel();
    sinkNote->setText(tr("A sink ends the messages sent to it. It has no parameters; messages "
                         "leaving a consumer with no onward link end there too."));
    sinkNote->setContentsMargins(0, 10, 0, 0);
    form_->addRow(sinkNote);
    rowsFor(NodeKind::Sink, {sinkNote});
    layout->addLayout(form_);

    connect(document_, &ScenarioDocument::nodeRenamed, this,
            [this](const QString &oldId, const QString &newId) {
                if (nodeId_ == oldId)
                    nodeId_ = newId;
            });
}

void NodePropertiesPage::rowsFor(NodeKind kind, std::initializer_list<QWidget *> widgets)
{
    for (QWidget *w : widgets)
        kindRows_[int(kind)].append(w);
}

void NodePropertiesPage::buildProducerRows()
{
    QLabel *s1 = sectionLabel(tr("Interarrival time"));
    form_->addRow(s1);
    interarrival_ = new DistributionEditor(QStringLiteral("interarrival"));
    form_->addRow(interarrival_);
    QLabel *s2 = sectionLabel(tr("Routing"));
    form_->addRow(s2);
    routingMode_ = new QComboBox;
    routingMode_->setObjectName(QStringLiteral("routing_mode"));
    routingMode_->addItem(tr("One routing key"));
    routingMode_->addItem(tr("Weighted routing keys"));
    form_->addRow(tr("Keys"), routingMode_);
    routingKey_ = new PropertyField(QStringLiteral("routing_key"));
    routingKey_->setPlaceholderText(tr("empty key"));
    form_->addRow(tr("Routing key"), routingKey_);
    routingKeys_ = new KeyValueEditor(QStringLiteral("routing_keys"), tr("Key"), tr("Weight"));
    form_->addRow(routingKeys_);
    QLabel *s3 = sectionLabel(tr("Messages"));
    form_->addRow(s3);
    limit_ = new PropertyField(QStringLiteral("limit"));
    limit_->setPlaceholderText(tr("no limit"));
    form_->addRow(tr("Limit"), limit_);
    priority_ = new PropertyField(QStringLiteral("priority"));
    form_->addRow(tr("Priority"), priority_);
    headers_ = new KeyValueEditor(QStringLiteral("headers"), tr("Header"), tr("Value"));
    form_->addRow(tr("Headers"), headers_);
    messageTtlOn_ = new QCheckBox(tr("Message TTL"));
    messageTtlOn_->setObjectName(QStringLiteral("message_ttl_enabled"));
    messageTtlOn_->setToolTip(tr("Each message expires this long after it enters a queue (AMQP expiration), "
                                 "drawn per message"));
    form_->addRow(messageTtlOn_);
    messageTtl_ = new DistributionEditor(QStringLiteral("message_ttl"));
    form_->addRow(messageTtl_);
    rowsFor(NodeKind::Producer, {s1, interarrival_, s2, routingMode_, routingKey_, routingKeys_, s3,
                                 limit_, priority_, headers_, messageTtlOn_, messageTtl_});
    connect(messageTtlOn_, &QCheckBox::clicked, this, [this](bool on) {
        endSession();
        tryEdit(QStringLiteral("message_ttl"),
                [on](Node &n, QString *) {
                    if (!on)
                        n.messageTtl.reset();
                    else if (!n.messageTtl)
                        n.messageTtl = Distribution::exponential(60);
                    return true;
                },
                [](const QString &, const QString &) {});
        endSession();
        load();
    });
    bindDistribution(messageTtl_, QStringLiteral("message_ttl"),
                     [](Node &n, const Distribution &d) { n.messageTtl = d; });

    bindDistribution(interarrival_, QStringLiteral("interarrival"), &Node::interarrival);
    bindCombo(routingMode_, QStringLiteral("routing_keys"), [](Node &n, int weighted) {
        if (weighted && n.routingKeys.empty()) {
            n.routingKeys = {{n.routingKey.empty() ? std::string("key") : n.routingKey, 1}};
            n.routingKey.clear();
        } else if (!weighted && !n.routingKeys.empty()) {
            n.routingKey = n.routingKeys.front().key;
            n.routingKeys.clear();
        }
    });
    bindField(routingKey_, QStringLiteral("routing_key"), [](Node &n, const QString &text, QString *) {
        n.routingKey = text.toStdString();
        return true;
    });
    connect(routingKeys_, &KeyValueEditor::edited, this, [this] {
        tryEdit(QStringLiteral("routing_keys"),
                [this](Node &n, QString *err) {
                    std::vector<WeightedKey> keys;
                    for (const auto &[k, w] : routingKeys_->pairs()) {
                        const auto weight = parseNumber(w, err);
                        if (!weight) {
                            *err = tr("weight of %1: %2").arg(k, *err);
                            return false;
                        }
                        keys.push_back({k.toStdString(), *weight});
                    }
                    if (keys.empty()) {
                        *err = tr("give at least one key, or switch to one routing key");
                        return false;
                    }
                    n.routingKeys = keys;
                    n.routingKey.clear();
                    return true;
                },
                [this](const QString &m, const QString &) { routingKeys_->setError(m); });
    });
    bindField(limit_, QStringLiteral("limit"), [](Node &n, const QString &text, QString *err) {
        return setOptional(n.limit, text, err, parseInteger);
    });
    bindField(priority_, QStringLiteral("priority"), [](Node &n, const QString &text, QString *err) {
        qint64 v = 0;
        return integerField(NodeKind::Producer, "priority", text, &v, err) ? (n.priority = int(v), true) : false;
    });
    connect(headers_, &KeyValueEditor::edited, this, [this] {
        tryEdit(QStringLiteral("headers"),
                [this](Node &n, QString *) {
                    n.headers.clear();
                    for (const auto &[k, v] : headers_->pairs())
                        n.headers.emplace_back(k.toStdString(), v.toStdString());
                    return true;
                },
                [this](const QString &m, const QString &) { headers_->setError(m); });
    });
}

void NodePropertiesPage::buildExchangeRows()
{
    QLabel *section = sectionLabel(tr("Routing"));
    form_->addRow(section);
    exchangeType_ = new QComboBox;
    exchangeType_->setObjectName(QStringLiteral("type"));
    for (ExchangeType t : {ExchangeType::Direct, ExchangeType::Fanout, ExchangeType::Topic,
                           ExchangeType::Headers})
        exchangeType_->addItem(QLatin1String(exchangeTypeName(t)), int(t));
    form_->addRow(tr("Type"), exchangeType_);
    exchangeHint_ = hintLabel();
    form_->addRow(exchangeHint_);
    rowsFor(NodeKind::Exchange, {section, exchangeType_, exchangeHint_});
    bindCombo(exchangeType_, QStringLiteral("type"),
              [](Node &n, int value) { n.exchangeType = ExchangeType(value); });
}

void NodePropertiesPage::buildQueueRows()
{
    QLabel *section = sectionLabel(tr("Queue"));
    form_->addRow(section);
    capacity_ = new PropertyField(QStringLiteral("capacity"));
    capacity_->setPlaceholderText(tr("0 = unbounded"));
    form_->addRow(tr("Capacity"), capacity_);
    overflow_ = new QComboBox;
    overflow_->setObjectName(QStringLiteral("overflow"));
    overflow_->addItem(tr("reject-publish (drop new)"), int(Overflow::RejectPublish));
    overflow_->addItem(tr("drop-head (drop oldest)"), int(Overflow::DropHead));
    overflow_->addItem(tr("reject-publish-dlx (drop new, dead-letter it)"), int(Overflow::RejectPublishDlx));
    form_->addRow(tr("When full"), overflow_);
    discipline_ = new QComboBox;
    discipline_->setObjectName(QStringLiteral("discipline"));
    discipline_->addItem(tr("fifo (first in, first out)"), int(Discipline::Fifo));
    discipline_->addItem(tr("lifo (last in, first out)"), int(Discipline::Lifo));
    discipline_->addItem(tr("priority (highest first)"), int(Discipline::Priority));
    form_->addRow(tr("Discipline"), discipline_);
    queueTtl_ = new PropertyField(QStringLiteral("message_ttl"));
    queueTtl_->setPlaceholderText(tr("none"));
    form_->addRow(tr("Message TTL"), queueTtl_);
    queueType_ = new QComboBox;
    queueType_->setObjectName(QStringLiteral("queue_type"));
    queueType_->addItem(tr("classic"), int(QueueType::Classic));
    queueType_->addItem(tr("quorum"), int(QueueType::Quorum));
    form_->addRow(tr("Type"), queueType_);
    deliveryLimit_ = new PropertyField(QStringLiteral("delivery_limit"));
    deliveryLimit_->setPlaceholderText(tr("no limit"));
    form_->addRow(tr("Delivery limit"), deliveryLimit_);
    rowsFor(NodeKind::Queue, {section, capacity_, overflow_, discipline_, queueTtl_, queueType_, deliveryLimit_});

    bindField(queueTtl_, QStringLiteral("message_ttl"), [](Node &n, const QString &text, QString *err) {
        return setOptional(n.queueTtl, text, err, parseNumber);
    });
    bindCombo(queueType_, QStringLiteral("queue_type"), [](Node &n, int value) {
        n.queueType = QueueType(value);
        if (n.queueType != QueueType::Quorum)
            n.deliveryLimit.reset(); // only a quorum queue has one
    });
    bindField(deliveryLimit_, QStringLiteral("delivery_limit"), [](Node &n, const QString &text, QString *err) {
        return setOptional(n.deliveryLimit, text, err, parseInteger);
    });

    bindField(capacity_, QStringLiteral("capacity"), [](Node &n, const QString &text, QString *err) {
        const auto v = parseInteger(text, err);
        return v ? (n.capacity = *v, true) : false;
    });
    bindCombo(overflow_, QStringLiteral("overflow"), [](Node &n, int value) { n.overflow = Overflow(value); });
    bindCombo(discipline_, QStringLiteral("discipline"),
              [](Node &n, int value) { n.discipline = Discipline(value); });
}

void NodePropertiesPage::buildConsumerRows()
{
    QLabel *s1 = sectionLabel(tr("Service time"));
    form_->addRow(s1);
    service_ = new DistributionEditor(QStringLiteral("service"));
    form_->addRow(service_);
    QLabel *s2 = sectionLabel(tr("Capacity"));
    form_->addRow(s2);
    servers_ = new PropertyField(QStringLiteral("servers"));
    form_->addRow(tr("Servers"), servers_);
    prefetch_ = new PropertyField(QStringLiteral("prefetch"));
    form_->addRow(tr("Prefetch"), prefetch_);
    rejectProbability_ = new PropertyField(QStringLiteral("reject_probability"));
    rejectProbability_->setToolTip(tr("Share of services that end in basic.reject: the message is dead-lettered or dropped"));
    form_->addRow(tr("Reject probability"), rejectProbability_);
    requeueProbability_ = new PropertyField(QStringLiteral("requeue_probability"));
    requeueProbability_->setToolTip(tr("Share of services that end in a nack with requeue: the message goes back to its queue"));
    form_->addRow(tr("Requeue probability"), requeueProbability_);
    QLabel *hint = hintLabel();
    hint->setText(tr("Holds up to servers \u00d7 prefetch messages at once; with prefetch 1 a "
                     "consumer with c servers is an M/M/c station."));
    form_->addRow(hint);
    rowsFor(NodeKind::Consumer, {s1, service_, s2, servers_, prefetch_, rejectProbability_, requeueProbability_, hint});

    bindDistribution(service_, QStringLiteral("service"), &Node::service);
    bindField(servers_, QStringLiteral("servers"), [](Node &n, const QString &text, QString *err) {
        qint64 v = 0;
        return integerField(NodeKind::Consumer, "servers", text, &v, err) ? (n.servers = int(v), true) : false;
    });
    bindField(prefetch_, QStringLiteral("prefetch"), [](Node &n, const QString &text, QString *err) {
        qint64 v = 0;
        return integerField(NodeKind::Consumer, "prefetch", text, &v, err) ? (n.prefetch = int(v), true) : false;
    });
    bindField(rejectProbability_, QStringLiteral("reject_probability"), [](Node &n, const QString &text, QString *err) {
        const auto v = parseNumber(text, err);
        return v ? (n.rejectProbability = *v, true) : false;
    });
    bindField(requeueProbability_, QStringLiteral("requeue_probability"), [](Node &n, const QString &text, QString *err) {
        const auto v = parseNumber(text, err);
        return v ? (n.requeueProbability = *v, true) : false;
    });
}

void NodePropertiesPage::buildDelayRows()
{
    QLabel *section = sectionLabel(tr("Delay"));
    form_->addRow(section);
    delay_ = new DistributionEditor(QStringLiteral("delay"));
    form_->addRow(delay_);
    QLabel *hint = hintLabel();
    hint->setText(tr("Every message waits its own delay, with no queue and no limit (an "
                     "M/G/\u221e stage): a network hop, a scheduled retry. Messages then go on "
                     "along its onward links."));
    form_->addRow(hint);
    rowsFor(NodeKind::Delay, {section, delay_, hint});
    bindDistribution(delay_, QStringLiteral("delay"), &Node::delay);
}

// --- Edits ------------------------------------------------------------------------------------

void NodePropertiesPage::bindField(PropertyField *field, const QString &path,
                                   std::function<bool(Node &, const QString &, QString *)> apply)
{
    connect(field, &PropertyField::edited, this, [this, field, path, apply](const QString &text) {
        tryEdit(path, [&](Node &n, QString *err) { return apply(n, text, err); },
                [field](const QString &m, const QString &) { field->setError(m); });
    });
    connect(field, &PropertyField::editingFinished, this, &PropertyPage::endSession);
}

void NodePropertiesPage::bindCombo(QComboBox *combo, const QString &path,
                                   std::function<void(Node &, int)> apply)
{
    // A choice is a step of its own: it never merges with typing before or after it.
    connect(combo, &QComboBox::activated, this, [this, combo, path, apply](int index) {
        const QVariant data = combo->itemData(index);
        const int value = data.isValid() ? data.toInt() : index;
        endSession();
        tryEdit(path,
                [&](Node &n, QString *) {
                    apply(n, value);
                    return true;
                },
                [](const QString &, const QString &) {});
        endSession();
        load(); // rows and hints that depend on the choice
    });
}

void NodePropertiesPage::bindDistribution(DistributionEditor *editor, const QString &path,
                                          Distribution Node::*field)
{
    bindDistribution(editor, path, [field](Node &n, const Distribution &d) { n.*field = d; });
}

void NodePropertiesPage::bindDistribution(DistributionEditor *editor, const QString &path,
                                          std::function<void(Node &, const Distribution &)> apply)
{
    connect(editor, &DistributionEditor::edited, this,
            [this, editor, path, apply](const Distribution &trial, const QString &param) {
                const bool kindChange = param == QLatin1String("dist");
                if (kindChange)
                    endSession();
                const int index = document_->scenario().nodeIndex(nodeId_.toStdString());
                const QString distPath = QStringLiteral("nodes[%1].%2").arg(index).arg(path);
                const bool ok = tryEdit(
                    path + QLatin1Char('.') + param,
                    [&](Node &n, QString *) {
                        apply(n, trial);
                        return true;
                    },
                    [editor, param, distPath](const QString &m, const QString &diagPath) {
                        if (m.isEmpty())
                            return;
                        const QString p = paramOf(diagPath, distPath);
                        editor->refuse(p.isEmpty() ? param : p, m);
                    });
                if (ok)
                    editor->accept(trial);
                if (kindChange)
                    endSession();
            });
}

bool NodePropertiesPage::tryEdit(const QString &path, const std::function<bool(Node &, QString *)> &mutate,
                                 const ErrorSink &error)
{
    const Scenario &current = document_->scenario();
    const int index = current.nodeIndex(nodeId_.toStdString());
    if (index < 0)
        return false;
    Node trial = current.nodes[std::size_t(index)];
    QString err;
    if (!mutate(trial, &err)) {
        error(err, {});
        return false;
    }
    Scenario s = current;
    s.nodes[std::size_t(index)] = trial;
    if (const auto d = validator_->newError(s)) {
        error(describe(*d, QStringLiteral("nodes[%1].%2").arg(index).arg(path)), q(d->path));
        return false;
    }
    error({}, {});
    if (trial == current.nodes[std::size_t(index)])
        return true;
    emit editRequested(index, trial, mergeKey(path));
    updateHeader();
    return true;
}

void NodePropertiesPage::idEdited(const QString &text)
{
    const QString id = text.trimmed();
    if (id.isEmpty())
        id_->setError(tr("must not be empty; use letters, digits, '_', '.' or '-'"));
    else if (!validIdText(id))
        id_->setError(tr("may hold only letters, digits, '_', '.' and '-'"));
    else if (id != nodeId_ && document_->scenario().node(id.toStdString()))
        id_->setError(tr("\u201c%1\u201d is already the id of another node; ids must be unique").arg(id));
    else
        id_->setError({});
}

void NodePropertiesPage::idFinished()
{
    const QString id = id_->text().trimmed();
    if (id_->hasError() || id == nodeId_ || !document_->scenario().node(nodeId_.toStdString()))
        return;
    endSession();
    emit renameRequested(nodeId_, id);
    load();
}

// --- Showing a node ---------------------------------------------------------------------------

void NodePropertiesPage::setNodeId(const QString &id)
{
    nodeId_ = id;
    endSession();
    load();
}

void NodePropertiesPage::load()
{
    const Node *n = document_->scenario().node(nodeId_.toStdString());
    if (!n)
        return;
    loading_ = true;
    for (auto it = kindRows_.cbegin(); it != kindRows_.cend(); ++it)
        for (QWidget *w : it.value())
            showRow(form_, w, it.key() == int(n->kind));
    id_->setText(q(n->id));
    const QColor accent = kindColor(n->kind, isDarkPalette(palette()));
    switch (n->kind) {
    case NodeKind::Producer: {
        interarrival_->setAccent(accent);
        interarrival_->setDistribution(n->interarrival);
        const bool weighted = !n->routingKeys.empty();
        routingMode_->setCurrentIndex(weighted ? 1 : 0);
        showRow(form_, routingKey_, !weighted);
        showRow(form_, routingKeys_, weighted);
        routingKey_->setText(q(n->routingKey));
        KeyValueEditor::Pairs keys;
        for (const WeightedKey &k : n->routingKeys)
            keys.append({q(k.key), formatNumber(k.weight)});
        routingKeys_->setPairs(keys);
        limit_->setText(n->limit ? QString::number(*n->limit) : QString());
        priority_->setText(QString::number(n->priority));
        KeyValueEditor::Pairs headers;
        for (const auto &[k, v] : n->headers)
            headers.append({q(k), q(v)});
        headers_->setPairs(headers);
        messageTtlOn_->setChecked(n->messageTtl.has_value());
        showRow(form_, messageTtl_, n->messageTtl.has_value());
        if (n->messageTtl) {
            messageTtl_->setAccent(accent);
            messageTtl_->setDistribution(*n->messageTtl);
        }
        break;
    }
    case NodeKind::Exchange:
        exchangeType_->setCurrentIndex(exchangeType_->findData(int(n->exchangeType)));
        exchangeHint_->setText(exchangeHint(n->exchangeType));
        break;
    case NodeKind::Queue:
        capacity_->setText(QString::number(n->capacity));
        overflow_->setCurrentIndex(overflow_->findData(int(n->overflow)));
        discipline_->setCurrentIndex(discipline_->findData(int(n->discipline)));
        queueTtl_->setText(n->queueTtl ? formatNumber(*n->queueTtl) : QString());
        queueType_->setCurrentIndex(queueType_->findData(int(n->queueType)));
        deliveryLimit_->setText(n->deliveryLimit ? QString::number(*n->deliveryLimit) : QString());
        deliveryLimit_->setEnabled(n->queueType == QueueType::Quorum);
        deliveryLimit_->setToolTip(n->queueType == QueueType::Quorum
                                       ? tr("Returns (nack with requeue) a message may have before it is dead-lettered")
                                       : tr("Only a quorum queue has a delivery limit: choose Type quorum"));
        break;
    case NodeKind::Consumer:
        service_->setAccent(accent);
        service_->setDistribution(n->service);
        servers_->setText(QString::number(n->servers));
        prefetch_->setText(QString::number(n->prefetch));
        rejectProbability_->setText(formatNumber(n->rejectProbability));
        requeueProbability_->setText(formatNumber(n->requeueProbability));
        break;
    case NodeKind::Delay:
        delay_->setAccent(accent);
        delay_->setDistribution(n->delay);
        break;
    case NodeKind::Sink:
        break;
    }
    loading_ = false;
    updateHeader();
    updateProblems();
}

void NodePropertiesPage::updateHeader()
{
    const Node *n = document_->scenario().node(nodeId_.toStdString());
    if (!n)
        return;
    icon_->setPixmap(badgePixmap(n->kind, isDarkPalette(palette()), devicePixelRatioF()));
    title_->setText(q(n->id));
    subtitle_->setText(NodeItem::kindTitle(n->kind) + QStringLiteral(" \u00b7 ") + NodeItem::subLabel(*n));
}

void NodePropertiesPage::updateProblems()
{
    const int index = document_->scenario().nodeIndex(nodeId_.toStdString());
    const QString html = index < 0 ? QString() : problemsHtml("nodes[" + std::to_string(index) + "]", 6);
    problems_->setText(html);
    problems_->setVisible(!html.isEmpty());
}

} // namespace ql
