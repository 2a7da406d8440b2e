#include "scenario/savefile.h"

#include <QFileInfo>
#include <QSaveFile>

namespace ql {

bool writeTextFileAtomically(const std::string &path, const std::string &text, std::string *error)
{
    const QString name = QString::fromStdString(path);
    QSaveFile file(name);
    auto fail = [&](const QString &reason) {
        if (error) {
            QString fix = QStringLiteral("check the folder exists, is writable and the disk has space");
            *error = QStringLiteral("cannot write %1: %2; %3")
                         .arg(name, reason.isEmpty() ? QStringLiteral("unknown error") : reason, fix)
                         .toStdString();
        }
        return false;
    };
    if (QFileInfo(name).isDir())
        return fail(QStringLiteral("it is a folder"));
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    const qint64 written = file.write(text.data(), qint64(text.size()));
    if (written != qint64(text.size())) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return fail(reason);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace ql
