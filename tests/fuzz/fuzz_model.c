/* Fuzz target: the model file reader (logfit's YAML, the article's
 * dictionary), then the mapping of a few distances with it; what it reads
 * is written and read back unchanged. */
#include "mapping/confidence.h"
#include "fuzz.h"
#include "mapping/model.h"

/* model_write, then model_read: the same names, strings and doubles (the
 * writer's quoting keeps every name a string). */
static void round_trip(const model *m)
{
    static char dir[] = "/tmp/fuzz-model.XXXXXX", path[64];
    if (!path[0]) {
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/m.yaml", dir);
    }
    out *o = out_open(path);
    model_write(m, o);
    out_close(o);
    model *r = model_read(path);
    if (r->n != m->n)
        abort();
    for (size_t i = 0; i < m->n; i++) {
        const model_metric *a = &m->m[i], *b = &r->m[i];
        if (strcmp(a->name, b->name) != 0 || a->fit.w != b->fit.w || a->fit.b != b->fit.b ||
            a->fit.normalizer != b->fit.normalizer || a->has_threshold != b->has_threshold ||
            (a->has_threshold && a->threshold != b->threshold) || a->has_info != b->has_info ||
            (a->has_info && (strcmp(a->target, b->target) != 0 ||
                             strcmp(a->threshold_from, b->threshold_from) != 0)))
            abort();
    }
    model_free(r);
}

static void read_and_map(const char *path, size_t n)
{
    (void)n;
    model *m = model_read(path);
    if (m->embedding_model && !m->embedding_model[0])
        abort(); /* an empty name is refused */
    for (size_t i = 0; i < m->n; i++)
        fuzz_check_name(NAME_COLUMN, m->m[i].name, strlen(m->m[i].name));
    round_trip(m);
    static const double ds[] = {0, 1e-9, 0.3, 0.4, 1, 17.5, 1e300};
    for (size_t i = 0; i < m->n; i++) {
        if (m->m[i].has_range && !(m->m[i].range_min <= m->m[i].range_max))
            abort(); /* a range is checked on reading */
        conf_params c = {.threshold = m->m[i].has_threshold ? m->m[i].threshold : 0.4,
                         .fit = m->m[i].fit};
        for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++)
            for (int style = CONF_CLAMPED; style <= CONF_RAW; style++) {
                double v = conf_value(&c, (conf_style)style, ds[k]);
                if (v != v && style != CONF_RAW && style != CONF_STUDY)
                    abort(); /* a banded style never answers NaN */
            }
    }
    model_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    return fuzz_run(data, n, read_and_map);
}
