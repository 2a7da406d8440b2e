// The `lesson` section of a scenario file (docs/scenario-format.md, "Lessons"): the ordered
// steps a teacher walks a class through on one topology. Each step has Markdown text, the
// nodes to highlight, changes to parameters applied when the step opens, and optionally a
// question whose answer the student predicts before running. Plain values, no Qt; the
// reader and writer in scenario/ carry it, model/lesson/ gives it meaning.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ql {

// One field of a node, or of the run settings, set when a step opens. `value` is JSON text
// exactly as the field would be written in the scenario file, e.g. node "worker", field
// "service", value {"type": "deterministic", "value": 0.9}. Changes are cumulative: step k
// shows the base scenario with the changes of steps 0..k applied in order, so moving back
// undoes them.
struct LessonChange
{
    std::string node;   // a node id; empty for the run settings ("run" in the file)
    std::string field;  // a key of that node (or of "run") in the file format
    std::string value;  // compact JSON text
    bool operator==(const LessonChange &) const = default;
};

// A question asks for one figure of the results, named as in the results file:
// with `node` empty, an end_to_end figure ("throughput", "latency.mean", "latency.p95", ...);
// otherwise a figure of that node ("wait.mean", "length.mean", "utilization.mean",
// "throughput", "drops", "service.mean", ...).
struct LessonQuestion
{
    std::string prompt;       // Markdown: what to predict
    std::string node;         // empty = end_to_end
    std::string metric;       // see above
    std::string unit;         // shown beside the answer field ("s", "messages", "%"...)
    double tolerance = 0.1;   // relative: simulation vs theory agreement, and a "close" guess
    std::string explanation;  // Markdown: why the answer is what it is
    bool operator==(const LessonQuestion &) const = default;
};

struct LessonStep
{
    std::string title;
    std::string text;                     // Markdown
    std::vector<std::string> highlight;   // node ids
    std::vector<LessonChange> changes;
    std::optional<LessonQuestion> question;
    bool operator==(const LessonStep &) const = default;
};

struct Lesson
{
    std::string title;
    std::string summary;                  // one line for the Lessons list
    int order = 0;                        // position in the Lessons list
    std::vector<LessonStep> steps;        // at least one
    bool operator==(const Lesson &) const = default;
};

} // namespace ql
