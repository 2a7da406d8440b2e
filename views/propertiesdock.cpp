// The properties dock: choosing the page for the selection and passing its edit requests on
// (see propertiesdock.h).
#include "propertiesdock.h"

#include "linkpropertiespage.h"
#include "nodepropertiespage.h"
#include "scenariopropertiespage.h"
#include "themedicon.h"
#include "trialvalidator.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace ql {

PropertiesDock::PropertiesDock(ScenarioDocument *document, QWidget *parent)
    : QDockWidget(tr("Properties"), parent)
    , document_(document)
    , validator_(new TrialValidator(document, this))
{
    setObjectName(QStringLiteral("propertiesDock"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *content = new QWidget(scroll);
    content->setObjectName(QStringLiteral("propertiesContent"));
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(0);
    scenarioPage_ = new ScenarioPropertiesPage(document, validator_, content);
    nodePage_ = new NodePropertiesPage(document, validator_, content);
    linkPage_ = new LinkPropertiesPage(document, validator_, content);
    multiPage_ = buildMultiPage();
    for (QWidget *page : {static_cast<QWidget *>(scenarioPage_), static_cast<QWidget *>(nodePage_),
                          static_cast<QWidget *>(linkPage_), multiPage_})
        layout->addWidget(page);
    layout->addStretch(1);
    // One label column for every form on every page (the distribution editors have forms of
    // their own), so the fields line up.
    for (QFormLayout *form : content->findChildren<QFormLayout *>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole))
                if (QWidget *label = item->widget())
                    label->setMinimumWidth(104);
        }
    }
    // Choice boxes as wide as the dock, not as their longest item ("reject-publish-dlx (drop
    // new, dead-letter it)"): otherwise the page grows wider than the dock and is cut off.
    for (QComboBox *box : content->findChildren<QComboBox *>()) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(12);
    }
    scroll->setWidget(content);
    setWidget(scroll);
    setMinimumWidth(300);

    connect(scenarioPage_, &ScenarioPropertiesPage::editRequested, this,
            [this](const ScenarioHeader &h, const QString &key) {
                forward([&] { emit headerEditRequested(h, key); });
            });
    connect(nodePage_, &NodePropertiesPage::editRequested, this,
            [this](int index, const Node &n, const QString &key) {
                forward([&] { emit nodeEditRequested(index, n, key); });
            });
    connect(nodePage_, &NodePropertiesPage::renameRequested, this,
            [this](const QString &oldId, const QString &newId) {
                forward([&] { emit nodeRenameRequested(oldId, newId); });
            });
    connect(linkPage_, &LinkPropertiesPage::editRequested, this,
            [this](int index, const Link &l, const QString &key) {
                forward([&] { emit linkEditRequested(index, l, key); });
            });
    connect(document_, &ScenarioDocument::changed, this, [this] {
        if (!applying_)
            refresh();
    });
    connect(document_, &ScenarioDocument::scenarioReset, this, [this] { setSelection({}, {}); });
    showPage(Page::Scenario);
    scenarioPage_->load();
}

QWidget *PropertiesDock::buildMultiPage()
{
    auto *page = new QWidget;
    page->setObjectName(QStringLiteral("multiPage"));
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QHBoxLayout;
    auto *icon = new QLabel(page);
    icon->setPixmap(themedIcon(QStringLiteral("edit-select-all")).pixmap(28, 28));
    multiTitle_ = new QLabel(page);
    QFont f = multiTitle_->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setWeight(QFont::DemiBold);
    multiTitle_->setFont(f);
    title->addWidget(icon);
    title->addWidget(multiTitle_, 1);
    layout->addLayout(title);
    auto *text = new QLabel(tr("Drag any of them to move them together. Delete removes them, "
                               "Ctrl+C copies them with the links between them, Ctrl+V pastes a "
                               "copy with new ids. Select a single node or link to edit its "
                               "properties."),
                            page);
    text->setWordWrap(true);
    text->setForegroundRole(QPalette::PlaceholderText);
    text->setContentsMargins(0, 8, 0, 0);
    layout->addWidget(text);
    return page;
}

template<typename F>
void PropertiesDock::forward(F &&emitter)
{
    applying_ = true;
    emitter();
    applying_ = false;
}

QString PropertiesDock::nodeId() const
{
    return page_ == Page::Node ? nodePage_->nodeId() : QString();
}

int PropertiesDock::linkIndex() const
{
    return page_ == Page::Link ? linkPage_->linkIndex() : -1;
}

void PropertiesDock::setSelection(const QStringList &nodeIds, const QList<int> &linkIndexes)
{
    selected_ = int(nodeIds.size() + linkIndexes.size());
    if (nodeIds.size() == 1 && linkIndexes.isEmpty()) {
        showPage(Page::Node);
        nodePage_->setNodeId(nodeIds.first());
    } else if (nodeIds.isEmpty() && linkIndexes.size() == 1) {
        showPage(Page::Link);
        linkPage_->setLinkIndex(linkIndexes.first());
    } else if (selected_ == 0) {
        showPage(Page::Scenario);
        scenarioPage_->endSession();
        scenarioPage_->load();
    } else {
        showPage(Page::Multiple);
        multiTitle_->setText(tr("%1 selected").arg(countText(selected_, "item", "items")));
    }
}

void PropertiesDock::showPage(Page page)
{
    page_ = page;
    scenarioPage_->setVisible(page == Page::Scenario);
    nodePage_->setVisible(page == Page::Node);
    linkPage_->setVisible(page == Page::Link);
    multiPage_->setVisible(page == Page::Multiple);
}

void PropertiesDock::refresh()
{
    // After undo, redo or an edit made elsewhere: show the document's values again, or the
    // scenario when the selected item is gone.
    const Scenario &s = document_->scenario();
    switch (page_) {
    case Page::Scenario:
        scenarioPage_->load();
        break;
    case Page::Node:
        if (s.node(nodePage_->nodeId().toStdString()))
            nodePage_->load();
        else
            setSelection({}, {});
        break;
    case Page::Link:
        if (linkPage_->linkIndex() < int(s.links.size()))
            linkPage_->load();
        else
            setSelection({}, {});
        break;
    case Page::Multiple:
        break;
    }
}

void PropertiesDock::setDiagnostics(const Diagnostics &diagnostics)
{
    for (PropertyPage *page : {static_cast<PropertyPage *>(scenarioPage_),
                               static_cast<PropertyPage *>(nodePage_),
                               static_cast<PropertyPage *>(linkPage_)})
        page->setDiagnostics(diagnostics);
}

} // namespace ql
