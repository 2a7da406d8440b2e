#include "scenario/tracefile.h"

#include "scenario/jsonwriter.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <charconv>
#include <cmath>

namespace ql {

std::string resolveTracePath(const std::string &file, const std::string &baseDir)
{
    const QString name = QString::fromStdString(file);
    if (QFileInfo(name).isAbsolute())
        return QDir::cleanPath(name).toStdString();
    const QDir base(baseDir.empty() ? QStringLiteral(".") : QString::fromStdString(baseDir));
    return QDir::cleanPath(base.absoluteFilePath(name)).toStdString();
}

bool readTraceFile(const std::string &path, std::vector<double> *samples, std::string *error)
{
    const std::string shown = "trace file " + JsonWriter::quote(path);
    const auto fail = [error](const std::string &message) {
        if (error)
            *error = message;
        return false;
    };
    const QString qpath = QString::fromStdString(path);
    if (QFileInfo(qpath).isDir())
        return fail(shown + " is a folder; name a CSV file");
    QFile f(qpath);
    if (!f.open(QIODevice::ReadOnly))
        return fail("cannot read " + shown + " (" + f.errorString().toStdString()
                    + "); the path is relative to the scenario file's folder");
    const QByteArray data = f.readAll();

    std::vector<double> values;
    bool headerAllowed = true;
    int lineNo = 0;
    qsizetype start = data.startsWith("\xEF\xBB\xBF") ? 3 : 0; // BOM from spreadsheet exports
    while (start <= data.size()) {
        qsizetype end = data.indexOf('\n', start);
        if (end < 0)
            end = data.size();
        ++lineNo;
        QByteArray line = data.mid(start, end - start);
        start = end + 1;
        const qsizetype hash = line.indexOf('#');
        if (hash >= 0)
            line.truncate(hash);
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        const std::string where = shown + " line " + std::to_string(lineNo) + ": ";
        double value = 0;
        const char *b = line.constData();
        const char *e = b + line.size();
        if (*b == '+')
            ++b;
        const auto r = std::from_chars(b, e, value);
        if (r.ec != std::errc() || r.ptr != e) {
            if (headerAllowed) { // a column title such as "service_time"
                headerAllowed = false;
                continue;
            }
            return fail(where + JsonWriter::quote(line.left(40).toStdString())
                        + " is not a number; the file needs one value per line");
        }
        headerAllowed = false;
        if (!std::isfinite(value) || value < 0)
            return fail(where + "must be a finite number >= 0, got " + line.toStdString());
        values.push_back(value);
    }
    if (values.empty())
        return fail(shown + " holds no values; it needs one number per line");
    *samples = std::move(values);
    return true;
}

} // namespace ql
