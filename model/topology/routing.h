// The two primitive matches of AMQP 0-9-1 routing: topic patterns against routing keys and
// headers bindings against message headers. Only the compiled topology calls them
// (topology/compiledtopology.h, the one binding match); the engine, theory and the live
// backends ask it where a message goes, so they can never disagree.
#pragma once

#include "scenario/scenario.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ql {

// Topic exchange match. Both strings are dot-separated words; an empty string has no words
// (as in RabbitMQ), so "#" matches "" and "*" does not. In the pattern, "*" stands for
// exactly one word and "#" for zero or more words; every other word must be equal.
// Examples: "a.#" matches "a" and "a.b.c"; "#.b" matches "b"; "a.*.c" does not match "a.c".
// Allocation-free.
bool topicMatches(std::string_view pattern, std::string_view key);

// Headers exchange match: with All, every binding argument must be present among the
// headers with an equal value (no arguments: everything matches); with Any, at least one
// must (no arguments: nothing matches). Arguments whose key starts with "x-" are directives,
// not values to match (x-match itself), and are skipped, as RabbitMQ does.
bool headersMatch(HeadersMatch match,
                  const std::vector<std::pair<std::string, std::string>> &arguments,
                  const std::vector<std::pair<std::string, std::string>> &headers);

} // namespace ql
