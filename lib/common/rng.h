/* rng: a small, fast, reproducible random number generator
 * (xoshiro256**, seeded through splitmix64). */
#ifndef RNG_H
#define RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_u64(rng *r);
/* Uniform in the open interval (0, 1). */
double rng_open01(rng *r);
/* Uniform integer in [0, n), n > 0, without bias. */
uint64_t rng_below(rng *r, uint64_t n);

#endif
