#include "random/rng.h"

namespace ql {

std::uint64_t replicationSeed(std::uint64_t runSeed, int replication)
{
    // Replication 1 is the run seed itself, so a one-replication run reproduces exactly what
    // the user wrote in the file.
    if (replication == 1)
        return runSeed;
    // Otherwise: whiten the run seed, offset by the replication number, whiten again.
    // splitmix64 is a bijection, so for one run seed every replication gets a different
    // seed, and neighbouring run seeds (42, 43) give unrelated replication seeds rather
    // than shifted copies of each other's.
    std::uint64_t state = runSeed;
    state = splitmix64(state) + std::uint64_t(std::int64_t(replication));
    return splitmix64(state);
}

std::uint64_t streamSeed(std::uint64_t replicationSeed, std::string_view nodeId)
{
    // Two rounds: the replication seed is whitened before the id's hash is folded in, so
    // (seed, id) pairs cannot cancel out by a plain XOR coincidence, and the result is
    // whitened again so ids whose hashes differ in a few bits give unrelated streams.
    // Depends only on (replication seed, id): adding a node leaves the others' draws alone.
    std::uint64_t state = replicationSeed;
    state = splitmix64(state) ^ stableHash(nodeId);
    return splitmix64(state);
}

} // namespace ql
