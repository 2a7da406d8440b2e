#include "topology/routing.h"

namespace ql {

namespace {

// A cursor over the dot-separated words of a string, without copying. An empty string has
// no words; otherwise there is one more word than there are dots (words may be empty).
struct WordCursor
{
    std::string_view text;
    std::size_t pos; // start of the current word; npos once every word is consumed

    explicit WordCursor(std::string_view s)
        : text(s)
        , pos(s.empty() ? std::string_view::npos : 0)
    {
    }
    bool atEnd() const { return pos == std::string_view::npos; }
    std::string_view word() const
    {
        const std::size_t dot = text.find('.', pos);
        return text.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    }
    void advance()
    {
        const std::size_t dot = text.find('.', pos);
        pos = dot == std::string_view::npos ? std::string_view::npos : dot + 1;
    }
};

} // namespace

// Wildcard matching over words, with '#' as the star and '*' as the single-word joker. The
// greedy scan that remembers only the last '#' and lets it swallow one more word on a
// mismatch is complete: any match that an earlier '#' could make, the later one can too.
bool topicMatches(std::string_view pattern, std::string_view key)
{
    WordCursor p(pattern);
    WordCursor k(key);
    bool haveHash = false;
    WordCursor afterHash = p; // pattern position just after the last '#'
    WordCursor hashKey = k;   // key position where that '#' currently stops

    while (!k.atEnd()) {
        if (!p.atEnd()) {
            const std::string_view w = p.word();
            if (w == "#") {
                p.advance();
                haveHash = true;
                afterHash = p;
                hashKey = k; // first try: '#' matches zero words
                continue;
            }
            if (w == "*" || w == k.word()) {
                p.advance();
                k.advance();
                continue;
            }
        }
        if (!haveHash)
            return false;
        hashKey.advance(); // '#' takes one more word
        k = hashKey;
        p = afterHash;
    }
    // The key is used up: what is left of the pattern must be able to match nothing.
    while (!p.atEnd() && p.word() == "#")
        p.advance();
    return p.atEnd();
}

bool headersMatch(HeadersMatch match,
                  const std::vector<std::pair<std::string, std::string>> &arguments,
                  const std::vector<std::pair<std::string, std::string>> &headers)
{
    auto present = [&headers](const std::pair<std::string, std::string> &argument) {
        for (const auto &header : headers)
            if (header.first == argument.first)
                return header.second == argument.second;
        return false;
    };
    bool any = false;
    for (const auto &argument : arguments) {
        if (argument.first.rfind("x-", 0) == 0)
            continue;
        const bool found = present(argument);
        if (match == HeadersMatch::All && !found)
            return false;
        any = any || found;
    }
    return match == HeadersMatch::All ? true : any;
}

} // namespace ql
