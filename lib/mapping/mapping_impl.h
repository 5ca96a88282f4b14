/* mapping_impl: what mapping.c (the metrics chosen, the header) and
 * mapping_rows.c (the rows) share.  Not for other modules: mapping.h. */
#ifndef MAPPING_IMPL_H
#define MAPPING_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "mapping/calibrated.h"
#include "mapping/confidence.h"
#include "mapping/mapping.h"
#include "mapping/model.h"
#include "stream/out.h"
#include "stream/tsv.h"

/* One metric to map: its column and its parameters. */
typedef struct map_job {
    const char *name;
    size_t col;
    model_method method;
    const calib_curve *curve; /* isotonic, venn-abers: the model's */
    conf_style style;         /* CONF_PROBABILITY for a calibrated metric */
    conf_params c;            /* c.threshold: the band's (same or different) */
    double decide;            /* METRIC_verified: d <= decide */
    int decide_by_p;          /* METRIC_verified: probability >= 1/2 (calibrated, no -t) */
    int has_threshold;
    int has_range; /* the range fitted on, from the model file */
    double range_min, range_max;
    uint64_t outside; /* distances outside it */
} map_job;

struct mapper {
    map_opts o;
    model *md;
    map_job *jobs;
    size_t njobs;
    uint64_t rows;
    map_mismatch mismatch; /* .got NULL: none */
};

/* r's preamble and header, with the columns the jobs append. */
void map_write_header(const mapper *m, const tsv_reader *r, out *o);

#endif
