// The properties page of one node: its id, and the parameters its kind has in the spec.
// Producer: interarrival distribution, one routing key or weighted keys, limit, priority,
// headers, message TTL. Exchange: type. Queue: capacity, overflow, discipline, message TTL,
// type and delivery limit. Consumer: service distribution, servers, prefetch, reject and
// requeue probabilities. Delay: its distribution. Sink: nothing to set. Every field checks
// what is typed with the loader's own validation and shows the reason in red under it.
#pragma once

#include "propertypage.h"

#include "scenario/scenario.h"

#include <QHash>

#include <functional>

class QCheckBox;
class QComboBox;

namespace ql {

class DistributionEditor;
class KeyValueEditor;
class PropertyField;

class NodePropertiesPage : public PropertyPage
{
    Q_OBJECT
public:
    NodePropertiesPage(ScenarioDocument *document, TrialValidator *validator, QWidget *parent = nullptr);

    void setNodeId(const QString &id);
    QString nodeId() const { return nodeId_; }
    void load() override;

signals:
    void editRequested(int index, const ql::Node &node, const QString &mergeKey);
    void renameRequested(const QString &oldId, const QString &newId);

protected:
    void updateProblems() override;

private:
    void buildProducerRows();
    void buildExchangeRows();
    void buildQueueRows();
    void buildConsumerRows();
    void buildDelayRows();
    void rowsFor(NodeKind kind, std::initializer_list<QWidget *> widgets);
    void updateHeader();

    bool tryEdit(const QString &path, const std::function<bool(Node &, QString *)> &mutate,
                 const ErrorSink &error);
    void bindField(PropertyField *field, const QString &path,
                   std::function<bool(Node &, const QString &, QString *)> apply);
    void bindCombo(QComboBox *combo, const QString &path,
                   std::function<void(Node &, int value)> apply);
    void bindDistribution(DistributionEditor *editor, const QString &path, Distribution Node::*field);
    void bindDistribution(DistributionEditor *editor, const QString &path,
                          std::function<void(Node &, const Distribution &)> apply);
    void idEdited(const QString &text);
    void idFinished();

    QString nodeId_;
    QFormLayout *form_ = nullptr;
    QLabel *icon_ = nullptr;
    QLabel *title_ = nullptr;
    QLabel *subtitle_ = nullptr;
    QLabel *problems_ = nullptr;
    PropertyField *id_ = nullptr;
    QHash<int, QList<QWidget *>> kindRows_; // NodeKind -> the rows shown for it
    DistributionEditor *interarrival_ = nullptr;
    QComboBox *routingMode_ = nullptr;
    PropertyField *routingKey_ = nullptr;
    KeyValueEditor *routingKeys_ = nullptr;
    PropertyField *limit_ = nullptr;
    PropertyField *priority_ = nullptr;
    KeyValueEditor *headers_ = nullptr;
    QCheckBox *messageTtlOn_ = nullptr;
    DistributionEditor *messageTtl_ = nullptr;
    QComboBox *exchangeType_ = nullptr;
    QLabel *exchangeHint_ = nullptr;
    PropertyField *capacity_ = nullptr;
    QComboBox *overflow_ = nullptr;
    QComboBox *discipline_ = nullptr;
    PropertyField *queueTtl_ = nullptr;
    QComboBox *queueType_ = nullptr;
    PropertyField *deliveryLimit_ = nullptr;
    DistributionEditor *service_ = nullptr;
    DistributionEditor *delay_ = nullptr;
    PropertyField *servers_ = nullptr;
    PropertyField *prefetch_ = nullptr;
    PropertyField *rejectProbability_ = nullptr;
    PropertyField *requeueProbability_ = nullptr;
};

} // namespace ql
