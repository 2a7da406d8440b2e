// The one number formatter for everything QueueLab prints for people: the CLI's tables, the
// Results dock, the status bar, reports and charts. Plain text, no Qt, no locale (the same
// digits on every machine). Machine-readable outputs (results JSON and CSV) never use it:
// they keep full precision through JsonWriter and the CSV writer.
//
// In namespace ql::fmt (fmt::number, fmt::withCi, ...): the views have a ql::formatNumber of
// their own for editable fields, which must round-trip and so keeps every digit.
//
// The rules:
//  - everyday values in plain digits: 100000 -> "100,000", 0.8995 -> "0.8995"; scientific
//    only where plain digits would mislead or run long (|v| >= 1e12, 0 < |v| < 1e-4);
//  - counts and values from 1,000 up with thousands separators ("47,356");
//  - a mean with its 95% interval to the digits the interval supports: the interval to two
//    significant digits, the mean to the interval's first one (0.8995 ± 0.004455 ->
//    "0.900 ± 0.0045");
//  - counted nouns in the plural they need ("1 replication", "5 replications").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ql::fmt {

// Four significant digits, separators from 1,000, "inf", "-inf", "n/a" (NaN).
std::string number(double v);
// A whole number with separators: 47356 -> "47,356".
std::string count(std::uint64_t n);
std::string count(double n); // rounded; non-finite as number
// "0.900 ± 0.0045"; the mean alone (number) without a positive finite interval.
std::string withCi(double mean, const std::optional<double> &ci95);
// "1 replication", "5 replications", "12,000 events".
std::string counted(std::uint64_t n, const std::string &singular, const std::string &plural);
// A fraction as a percentage with two significant digits below 10%: 0.019 -> "1.9",
// 0.02 -> "2", 0.15 -> "15" (no "%" sign).
std::string percent(double fraction);
// Rates: 12345678 -> "12.3M", 45600 -> "45.6k", 512 -> "512".
std::string rate(double v);
// Wall-clock durations: 0.42 -> "0.42 s", 1.84 -> "1.8 s", 75 -> "1 min 15 s",
// 4000 -> "1 h 7 min".
std::string seconds(double secs);

} // namespace ql::fmt
