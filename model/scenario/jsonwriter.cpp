#include "scenario/jsonwriter.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace ql {

JsonWriter::JsonWriter(int indent)
    : indent_(indent)
{
}

void JsonWriter::newline(std::size_t depth)
{
    out_ += '\n';
    out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::beforeValue()
{
    assert(!done_ && "JsonWriter: value after the document was complete");
    if (stack_.empty())
        return;
    Frame &f = stack_.back();
    if (f.object) {
        assert(f.keyPending && "JsonWriter: value in an object needs a key first");
        f.keyPending = false;
        return; // key() already wrote the separator and the indentation
    }
    if (f.count > 0)
        out_ += f.style == Inline ? ", " : ",";
    if (f.style == Block)
        newline(stack_.size());
    ++f.count;
}

void JsonWriter::key(std::string_view name)
{
    assert(!stack_.empty() && stack_.back().object && !stack_.back().keyPending);
    Frame &f = stack_.back();
    if (f.count > 0)
        out_ += f.style == Inline ? ", " : ",";
    if (f.style == Block)
        newline(stack_.size());
    ++f.count;
    out_ += quote(name);
    out_ += ": ";
    f.keyPending = true;
    f.lastKey.assign(name);
}

void JsonWriter::writeRaw(const std::string &token)
{
    beforeValue();
    out_ += token;
    if (stack_.empty()) {
        done_ = true;
        out_ += '\n';
    }
}

void JsonWriter::open(char bracket, bool object, Style style)
{
    beforeValue();
    // Once inline, always inline: a block inside a one-line container would break the line.
    if (!stack_.empty() && stack_.back().style == Inline)
        style = Inline;
    out_ += bracket;
    stack_.push_back(Frame{object, style, 0, false, {}});
}

void JsonWriter::close(char bracket, bool object)
{
    assert(!stack_.empty() && stack_.back().object == object && !stack_.back().keyPending);
    (void)object;
    const Frame f = stack_.back();
    stack_.pop_back();
    if (f.style == Block && f.count > 0)
        newline(stack_.size());
    out_ += bracket;
    if (stack_.empty()) {
        done_ = true;
        out_ += '\n';
    }
}

void JsonWriter::beginObject(Style style) { open('{', true, style); }
void JsonWriter::endObject() { close('}', true); }
void JsonWriter::beginArray(Style style) { open('[', false, style); }
void JsonWriter::endArray() { close(']', false); }

void JsonWriter::value(std::string_view s) { writeRaw(quote(s)); }
void JsonWriter::value(const char *s) { writeRaw(quote(s ? std::string_view(s) : "")); }
void JsonWriter::value(bool b) { writeRaw(b ? "true" : "false"); }
void JsonWriter::value(double d)
{
    if (!std::isfinite(d) && !nonFinite_) {
        nonFinite_ = true;
        nonFinitePath_ = currentPath(); // before writeRaw moves on to the next member
    }
    writeRaw(formatNumber(d));
}

std::string JsonWriter::currentPath() const
{
    std::string path;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
        const Frame &f = stack_[i];
        if (f.object) {
            if (!path.empty())
                path += '.';
            path += f.lastKey;
        } else {
            // In the innermost array the value about to be written is element `count`
            // (beforeValue has not counted it yet); outer arrays already counted theirs.
            const int index = i + 1 == stack_.size() ? f.count : f.count - 1;
            path += '[' + std::to_string(index) + ']';
        }
    }
    return path;
}
void JsonWriter::nullValue() { writeRaw("null"); }

std::string JsonWriter::formatNumber(double d)
{
    if (!std::isfinite(d))
        return "null";
    char buf[64];
    if (d == std::floor(d) && std::fabs(d) < 1e15) {
        // Exact: every integer below 2^53 is a double. Also turns -0 into 0.
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(d));
        return std::string(buf, r.ptr);
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    return std::string(buf, r.ptr);
}

std::string JsonWriter::quote(std::string_view s)
{
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char esc[8];
                std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
                out += esc;
            } else {
                out += c; // UTF-8 passes through unchanged
            }
        }
    }
    out += '"';
    return out;
}

} // namespace ql
