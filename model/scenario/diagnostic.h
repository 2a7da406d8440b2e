// Errors the user can cause are values: a Diagnostic names the file, the JSON path and what
// to do about it, e.g. "mm1.json: nodes[2].service.mean: must be > 0, got -1".
#pragma once

#include <string>
#include <vector>

namespace ql {

struct Diagnostic
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string file;     // file name as the user gave it (may be empty for in-memory data)
    std::string path;     // JSON path, e.g. "nodes[2].service.mean"; empty for the whole file
    std::string message;  // what is wrong and how to fix it

    // "file: path: message" (parts that are empty are left out).
    std::string toString() const;
};

struct Diagnostics
{
    std::vector<Diagnostic> items;

    bool hasErrors() const;
    void error(std::string file, std::string path, std::string message);
    void warning(std::string file, std::string path, std::string message);
    std::vector<Diagnostic> errors() const;
    std::vector<Diagnostic> warnings() const;
    // All items, one per line, errors first.
    std::string toString() const;
};

} // namespace ql
