// Random number streams. Every node owns one stream, seeded from the replication seed and
// the node's id, so adding a node leaves the other nodes' draws unchanged. The generator is
// xoshiro256** (Blackman & Vigna), seeded through SplitMix64; both are fixed algorithms, so
// the same seed gives the same numbers on every platform and compiler.
#pragma once

#include <cstdint>
#include <string_view>

namespace ql {

constexpr std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// FNV-1a, 64 bit: a stable hash of a node id (std::hash is not stable across libraries).
constexpr std::uint64_t stableHash(std::string_view text)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

// Seed of replication r (1-based): replication 1 uses the run seed itself.
std::uint64_t replicationSeed(std::uint64_t runSeed, int replication);
// Seed of one node's stream within a replication.
std::uint64_t streamSeed(std::uint64_t replicationSeed, std::string_view nodeId);

class Rng
{
public:
    explicit Rng(std::uint64_t seed = 0) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        std::uint64_t sm = seed;
        for (auto &word : s_)
            word = splitmix64(sm);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, 1), 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    // Uniform in (0, 1]: safe to take the logarithm of.
    double uniformPositive() { return double((next() >> 11) + 1) * 0x1.0p-53; }
    // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 for small n).
    std::uint32_t below(std::uint32_t n)
    {
        return std::uint32_t((std::uint64_t(std::uint32_t(next() >> 32)) * n) >> 32);
    }

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

} // namespace ql
