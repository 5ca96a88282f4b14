/* Fuzz target: the model file reader (logfit's YAML, the article's
 * dictionary), then the mapping of a few distances with it. */
#include "confidence.h"
#include "fuzz.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    const char *path = fuzz_file(data, n);
    if (setjmp(fuzz_jmp))
        return 0;
    model *m = model_read(path);
    if (m->embedding_model && !m->embedding_model[0])
        abort(); /* an empty name is refused */
    static const double ds[] = {0, 1e-9, 0.3, 0.4, 1, 17.5, 1e300};
    for (size_t i = 0; i < m->n; i++) {
        if (m->m[i].has_range && !(m->m[i].range_min <= m->m[i].range_max))
            abort(); /* a range is checked on reading */
        conf_params c;
        conf_from_model(&c, &m->m[i]);
        if (!m->m[i].has_threshold)
            c.threshold = 0.4;
        for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++)
            for (int style = CONF_CLAMPED; style <= CONF_RAW; style++) {
                double v = conf_value(&c, (conf_style)style, ds[k]);
                if (v != v && style != CONF_RAW && style != CONF_STUDY)
                    abort(); /* a banded style never answers NaN */
            }
    }
    model_free(m);
    return 0;
}
