// What the CLI (`queuelab-cli live` / `compare`) and the GUI's Live mode both need around a
// LiveRunner, so they set up and describe a live run the same way: the password of an AMQP
// URI (kept out of every message and of anything saved), the time scale in words, and the
// scenario the simulation runs beside a live run for a comparison. Plain C++, no Qt.
#pragma once

#include "live/transport.h"
#include "scenario/scenario.h"

#include <string>

namespace ql {

// The password of amqp://user:password@host/..., as written (percent-encoded); "" if none.
std::string uriPassword(const std::string &uri);
// `uri` without its password: "amqp://guest@host:5672/" (the form worth remembering).
std::string uriWithoutPassword(const std::string &uri);
// `uri` with `password` (raw; percent-encoded here) put in as the user's password, replacing
// any there. An empty password returns `uri` unchanged. A URI without a user gets "guest".
std::string uriWithPassword(const std::string &uri, const std::string &password);
// The URI text a run with `options` connects to before parsing: options.uri, else
// $QUEUELAB_AMQP_URI, else the built-in default (see amqpuri.h).
std::string configuredAmqpUri(const LiveOptions &options);

// Belt and braces: a backend message must never carry the password; if one did, mask it.
std::string redactSecret(std::string text, const std::string &secret);

// "1 ms", "10 µs", "2.5 s": a wall-clock span.
std::string wallSpan(double seconds);
// The time scale as users set it (wall seconds per scenario second) from wall seconds per
// scenario time unit.
double timeScaleOf(const Scenario &scenario, double wallPerUnit);
// "1 s of scenario time = 1 ms wall (time scale 0.001, the default for "s" files; <hint>)".
// `changeHint` says how to change the default, e.g. "change it with --time-scale".
std::string timeScaleLine(const Scenario &scenario, const LiveOptions &options,
                          const std::string &changeHint);

// The scenario the simulation runs for a comparison with a live run of `options`: the very
// duration and warm-up the live run executes, with the scenario's own replications.
Scenario comparisonScenario(const Scenario &scenario, const LiveOptions &options);

} // namespace ql
