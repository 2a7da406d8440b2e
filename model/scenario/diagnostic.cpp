// Diagnostics as text: "file: path: message", the form compilers use, so that editors and
// terminals can point at the place.
#include "scenario/diagnostic.h"

#include <utility>

namespace ql {

namespace {

// "file: path: " with empty parts left out; `tag` (e.g. "warning") goes after the place.
std::string render(const Diagnostic &d, const char *tag)
{
    std::string out;
    for (const std::string *part : {&d.file, &d.path}) {
        if (!part->empty()) {
            out += *part;
            out += ": ";
        }
    }
    if (tag) {
        out += tag;
        out += ": ";
    }
    out += d.message;
    return out;
}

} // namespace

std::string Diagnostic::toString() const
{
    return render(*this, nullptr);
}

bool Diagnostics::hasErrors() const
{
    for (const Diagnostic &d : items) {
        if (d.severity == Diagnostic::Severity::Error)
            return true;
    }
    return false;
}

void Diagnostics::error(std::string file, std::string path, std::string message)
{
    items.push_back({Diagnostic::Severity::Error, std::move(file), std::move(path),
                     std::move(message)});
}

void Diagnostics::warning(std::string file, std::string path, std::string message)
{
    items.push_back({Diagnostic::Severity::Warning, std::move(file), std::move(path),
                     std::move(message)});
}

std::vector<Diagnostic> Diagnostics::errors() const
{
    std::vector<Diagnostic> out;
    for (const Diagnostic &d : items) {
        if (d.severity == Diagnostic::Severity::Error)
            out.push_back(d);
    }
    return out;
}

std::vector<Diagnostic> Diagnostics::warnings() const
{
    std::vector<Diagnostic> out;
    for (const Diagnostic &d : items) {
        if (d.severity == Diagnostic::Severity::Warning)
            out.push_back(d);
    }
    return out;
}

std::string Diagnostics::toString() const
{
    // Errors first: they are what stops a load, and the first one is what to fix first.
    std::string out;
    for (const Diagnostic &d : errors()) {
        out += render(d, nullptr);
        out += '\n';
    }
    for (const Diagnostic &d : warnings()) {
        out += render(d, "warning");
        out += '\n';
    }
    return out;
}

} // namespace ql
