// Reading a lesson: its steps, their questions and changes (scenarioreader_p.h).
#include "scenario/scenarioreader_p.h"

#include <QJsonDocument>

namespace ql::detail::reading {

void Reader::readLesson(const QJsonValue &v, Lesson *lesson)
{
    if (!v.isObject()) {
        typeError("lesson", "an object such as {\"title\": \"...\", \"steps\": [...]}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, "lesson", kLessonKeys);
    if (!o.contains(QLatin1String("title")))
        missing("lesson.title", "a lesson needs a \"title\" for the Lessons list");
    else
        getString(o, "title", "lesson", &lesson->title);
    getString(o, "summary", "lesson", &lesson->summary);
    getInt(o, "order", "lesson", -1000000, 1000000, &lesson->order);
    const auto steps = o.constFind(QLatin1String("steps"));
    if (steps == o.constEnd()) {
        missing("lesson.steps", "a lesson needs \"steps\": [{\"title\": ..., \"text\": ...}, ...]");
        return;
    }
    if (!steps.value().isArray()) {
        typeError("lesson.steps", "an array of steps", steps.value());
        return;
    }
    const QJsonArray array = steps.value().toArray();
    lesson->steps.resize(static_cast<std::size_t>(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i)
        readStep(array.at(i), indexed("lesson.steps", i), &lesson->steps[std::size_t(i)]);
}

void Reader::readStep(const QJsonValue &v, const std::string &path, LessonStep *step)
{
    if (!v.isObject()) {
        typeError(path, "a step object such as {\"title\": \"...\", \"text\": \"...\"}", v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kStepKeys);
    if (!o.contains(QLatin1String("title")))
        missing(join(path, "title"), "every step needs a \"title\"");
    else
        getString(o, "title", path, &step->title);
    getText(o, "text", path, &step->text);

    const auto hl = o.constFind(QLatin1String("highlight"));
    if (hl != o.constEnd()) {
        const std::string hpath = join(path, "highlight");
        if (!hl.value().isArray()) {
            typeError(hpath, "an array of node ids such as [\"hello\"]", hl.value());
        } else {
            const QJsonArray ids = hl.value().toArray();
            for (qsizetype i = 0; i < ids.size(); ++i) {
                if (!ids.at(i).isString())
                    typeError(indexed(hpath, i), "a node id (a string)", ids.at(i));
                else
                    step->highlight.push_back(str(ids.at(i).toString()));
            }
        }
    }

    const auto changes = o.constFind(QLatin1String("changes"));
    if (changes != o.constEnd()) {
        const std::string cpath = join(path, "changes");
        if (!changes.value().isArray()) {
            typeError(cpath, "an array of changes such as [{\"node\": \"w\", \"field\": "
                             "\"prefetch\", \"value\": 10}]",
                      changes.value());
        } else {
            const QJsonArray array = changes.value().toArray();
            step->changes.resize(static_cast<std::size_t>(array.size()));
            for (qsizetype i = 0; i < array.size(); ++i)
                readChange(array.at(i), indexed(cpath, i), &step->changes[std::size_t(i)]);
        }
    }

    const auto question = o.constFind(QLatin1String("question"));
    if (question != o.constEnd()) {
        step->question.emplace();
        readQuestion(question.value(), join(path, "question"), &*step->question);
    }
}

void Reader::readChange(const QJsonValue &v, const std::string &path, LessonChange *change)
{
    if (!v.isObject()) {
        typeError(path, "a change such as {\"node\": \"w\", \"field\": \"prefetch\", "
                        "\"value\": 10}",
                  v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kChangeKeys);
    if (!o.contains(QLatin1String("node")))
        missing(join(path, "node"), "name the node to change, or \"run\" for the run settings");
    else if (getString(o, "node", path, &change->node) && change->node == kRunTarget)
        change->node.clear();
    if (!o.contains(QLatin1String("field")))
        missing(join(path, "field"), "name the key to set, e.g. \"field\": \"service\"");
    else
        getString(o, "field", path, &change->field);
    const auto value = o.constFind(QLatin1String("value"));
    if (value == o.constEnd()) {
        missing(join(path, "value"), "give the new value, written as in the node itself");
        return;
    }
    // Kept as JSON text; the validator reads it as the field it sets, and a loaded scenario
    // holds it in canonical form (scenarioio.cpp).
    const QByteArray wrapped = QJsonDocument(QJsonArray{value.value()}).toJson(QJsonDocument::Compact);
    change->value = wrapped.mid(1, wrapped.size() - 2).toStdString();
}

void Reader::readQuestion(const QJsonValue &v, const std::string &path, LessonQuestion *question)
{
    if (!v.isObject()) {
        typeError(path, "a question such as {\"prompt\": \"...\", \"node\": \"q\", \"metric\": "
                        "\"wait.mean\"}",
                  v);
        return;
    }
    const QJsonObject o = v.toObject();
    checkKeys(o, path, kQuestionKeys);
    if (!o.contains(QLatin1String("prompt")))
        missing(join(path, "prompt"), "a question needs a \"prompt\" saying what to predict");
    else
        getText(o, "prompt", path, &question->prompt);
    getString(o, "node", path, &question->node);
    if (!o.contains(QLatin1String("metric")))
        missing(join(path, "metric"), "name the figure to predict, e.g. \"metric\": \"wait.mean\"");
    else
        getString(o, "metric", path, &question->metric);
    getString(o, "unit", path, &question->unit);
    getNumber(o, "tolerance", path, &question->tolerance);
    getText(o, "explanation", path, &question->explanation);
}

bool Reader::readField(const std::string &field, const QJsonValue &value,
                       const std::string &path, Node *node, RunSettings *run)
{
    const std::size_t before = ctx_.diagnostics->items.size();
    if (run) {
        QJsonObject o;
        o.insert(QString::fromStdString(field), value);
        readRun(o, run);
    } else {
        // The node as the reader sees it: id, kind, the field, and stand-ins for the other
        // required keys (only `field` is taken from the result).
        QJsonObject o;
        o.insert(QLatin1String("id"), QString::fromStdString(node->id));
        o.insert(QLatin1String("kind"), QLatin1String(nodeKindName(node->kind)));
        const QJsonObject standIn{{QLatin1String("dist"), QLatin1String("exponential")},
                                  {QLatin1String("mean"), 1}};
        // Required distributions other than the changed one: stand-ins, so the node reads.
        for (const FieldSpec &f : nodeKindInfo(node->kind).fields)
            if (f.required && f.type == FieldType::Distribution && field != f.key)
                o.insert(QLatin1String(f.key), standIn);
        o.insert(QString::fromStdString(field), value);
        readNode(o, path, node);
    }
    // The reader names the field's own path ("run.duration", "<path>.service.mean"); the
    // file has the value under the change's "value".
    const std::string prefix = (run ? std::string("run") : path) + "." + field;
    bool ok = true;
    for (std::size_t i = before; i < ctx_.diagnostics->items.size(); ++i) {
        Diagnostic &item = ctx_.diagnostics->items[i];
        if (item.path.compare(0, prefix.size(), prefix) == 0
            && (item.path.size() == prefix.size() || item.path[prefix.size()] == '.'
                || item.path[prefix.size()] == '['))
            item.path = path + ".value" + item.path.substr(prefix.size());
        ok = ok && item.severity != Diagnostic::Severity::Error;
    }
    return ok;
}

} // namespace ql::detail::reading
