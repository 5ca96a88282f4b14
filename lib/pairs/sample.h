/* sample: uniform sampling of n records out of N without replacement, in
 * order, in O(n) time and O(1) memory (Vitter 1987, "An efficient algorithm
 * for sequential random sampling", Method D, with Method A where n is a
 * large part of N).  Nothing is materialised: the caller is told how many
 * records to skip before the next selected one. */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <stdint.h>

#include "common/rng.h"

typedef struct sampler {
    rng *r;
    uint64_t N; /* records not yet passed */
    uint64_t n; /* samples still to take */
    double vprime;
} sampler;

void sampler_init(sampler *s, rng *r, uint64_t N, uint64_t n);
/* While s->n > 0: the number of records to skip before the next one
 * selected; the selected one is then consumed too. */
uint64_t sampler_skip(sampler *s);

#endif
