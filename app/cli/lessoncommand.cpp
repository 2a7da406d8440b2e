// queuelab-cli lesson FILE: walks a lesson's steps as the Lessons panel does and, for every
// question, simulates the scenario at that step and prints the simulated answer beside the
// theory answer. Teachers use it to check a lesson before class.
#include "clicommands.h"

#include "clisupport.h"
#include "resultstable.h"

#include "lesson/lessonplan.h"
#include "sim/replications.h"

#include <cmath>
#include <cstdio>

namespace ql::cli {

int lessonCommand(const std::vector<std::string> &args)
{
    std::string error;
    const auto opts = parseOptions(args, {"--threads"}, &error);
    if (!opts)
        return badUsage(error);
    if (opts->positional.size() != 1)
        return badUsage("lesson takes exactly one scenario file");
    int threads = 0;
    if (const std::string *v = opts->value("--threads")) {
        if (!parseNumber(*v, &threads) || threads < 1)
            return badUsage("--threads: must be a whole number >= 1, got '" + *v + "'");
    }
    const std::string &file = opts->positional.front();
    const std::optional<Scenario> base = load(file, opts->quiet);
    if (!base)
        return ExitBadInput;
    if (!base->lesson) {
        std::fprintf(stderr, "error: %s: has no \"lesson\" section; see docs/scenario-format.md, "
                             "\"Lessons\"\n", file.c_str());
        return ExitBadInput;
    }
    const Lesson &lesson = *base->lesson;
    const int count = int(lesson.steps.size());
    std::printf("%s (%d steps)\n", lesson.title.c_str(), count);
    if (!lesson.summary.empty())
        std::printf("%s\n", lesson.summary.c_str());

    std::optional<InterruptGuard> guard;
    guard.emplace();
    for (int k = 0; k < count && !g_interrupted.load(); ++k) {
        const LessonStep &step = lesson.steps[std::size_t(k)];
        std::printf("\nstep %d/%d: %s\n", k + 1, count, step.title.c_str());
        Scenario at;
        if (!scenarioAtStep(*base, k, &at, &error)) {
            std::fprintf(stderr, "error: %s: %s\n", file.c_str(), error.c_str());
            return ExitBadInput;
        }
        for (const LessonChange &c : step.changes)
            std::printf("  set %s.%s = %s\n", c.node.empty() ? "run" : c.node.c_str(),
                        c.field.c_str(), c.value.c_str());
        if (!step.question)
            continue;
        const LessonQuestion &q = *step.question;
        const std::string what = (q.node.empty() ? std::string("end-to-end") : q.node) + " "
                                 + q.metric + (q.unit.empty() ? "" : " (" + q.unit + ")");
        std::printf("  question: %s\n", what.c_str());
        RunOptions ro;
        ro.threads = threads;
        ro.cancel = &g_interrupted;
        const Results results = runReplications(at, ro);
        const std::optional<double> sim = resultFigure(results, q.node, q.metric);
        const std::optional<double> ci = resultFigureCi95(results, q.node, q.metric);
        const std::optional<double> theory = theoryFigure(at, q.node, q.metric);
        std::string line = "  simulated " + (sim ? fmt::number(*sim) : std::string("n/a"));
        if (ci)
            line += " ± " + fmt::number(*ci);
        line += ", theory " + (theory ? fmt::number(*theory) : std::string("n/a (the simulation is the reference)"));
        if (sim && theory) {
            // The agreement the lesson tests ask for: inside the interval widened by the
            // question's tolerance.
            const double allowed = ci.value_or(0) + q.tolerance * std::abs(*theory);
            line += std::abs(*sim - *theory) <= allowed ? "  (agree)" : "  (DISAGREE)";
        }
        std::printf("%s\n", line.c_str());
    }
    guard.reset();
    return g_interrupted.load() ? ExitInterrupted : ExitOk;
}

} // namespace ql::cli
