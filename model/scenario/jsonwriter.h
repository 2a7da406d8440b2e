// A small streaming JSON emitter that keeps keys in the order they are written, which
// QJsonObject cannot (it sorts them). Scenario and results files are read by people and kept
// in version control, so their key order and layout are part of what makes them readable
// and diff well. Qt-free; used for scenario files and meant for results files too.
//
//   JsonWriter w;
//   w.beginObject();
//   w.key("format"); w.value("queuelab-scenario");
//   w.key("pos"); w.beginArray(JsonWriter::Inline); w.value(1); w.value(2.5); w.endArray();
//   w.endObject();
//   std::string text = w.text();   // {\n  "format": "queuelab-scenario",\n  "pos": [1, 2.5]\n}\n
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ql {

class JsonWriter
{
public:
    // Block: one member per line, indented. Inline: all members on one line, as in
    // {"dist": "exponential", "mean": 1} or [0, 120]. Everything inside an inline
    // container is inline too.
    enum Style { Block, Inline };

    explicit JsonWriter(int indent = 2);

    void beginObject(Style style = Block);
    void endObject();
    void beginArray(Style style = Block);
    void endArray();
    // The next value (or container) is the member `name` of the current object.
    void key(std::string_view name);

    void value(std::string_view s);
    void value(const char *s); // not bool: a string literal must not convert to bool
    void value(bool b);
    void value(double d); // shortest round-trip form; non-finite numbers become null
    // Integers exactly (every width, so no call is ambiguous). Not a template with
    // <concepts>: Qt 6.4's moc cannot parse that header when a test includes this one.
    void value(int v) { writeInteger(v); }
    void value(long v) { writeInteger(v); }
    void value(long long v) { writeInteger(v); }
    void value(unsigned v) { writeUnsigned(v); }
    void value(unsigned long v) { writeUnsigned(v); }
    void value(unsigned long long v) { writeUnsigned(v); }
    void nullValue();
    // A value already in JSON form (one line, e.g. from another JsonWriter), written as given.
    void rawValue(std::string_view json) { writeRaw(std::string(json)); }

    // The document so far; once the outermost container is closed it ends with a newline.
    const std::string &text() const { return out_; }
    bool complete() const { return done_; }
    // Whether a NaN or infinity was written (as null), and where, e.g. "nodes[1].service.mean".
    // Results files use null on purpose; scenario files must refuse to save such a value.
    bool wroteNonFinite() const { return nonFinite_; }
    const std::string &firstNonFinitePath() const { return nonFinitePath_; }

    // The shortest text that reads back as exactly `d` (std::to_chars), written without an
    // exponent for integers below 1e15 so that 10000 stays 10000, not 1e+04.
    // Non-finite values have no JSON form: "null".
    static std::string formatNumber(double d);
    // `s` as a JSON string literal with quotes; control characters escaped.
    static std::string quote(std::string_view s);

private:
    struct Frame
    {
        bool object;
        Style style;
        int count = 0;
        bool keyPending = false;
        std::string lastKey;
    };

    void writeInteger(long long v) { writeRaw(std::to_string(v)); }
    void writeUnsigned(unsigned long long v) { writeRaw(std::to_string(v)); }
    void beforeValue();
    void writeRaw(const std::string &token);
    void open(char bracket, bool object, Style style);
    void close(char bracket, bool object);
    void newline(std::size_t depth);
    std::string currentPath() const;

    std::string out_;
    std::vector<Frame> stack_;
    int indent_;
    bool done_ = false;
    bool nonFinite_ = false;
    std::string nonFinitePath_;
};

} // namespace ql
