/* Unit tests for lib/mapping/mapping.c: confmap's engine driven on small streams in
 * temp files: which metrics (the model's in stream order, or -m's order),
 * the thresholds (DeepFace's, -t's, a model file's with --model as its
 * fallback), the appended columns and the row count.  The study's rows are
 * its own printed confidences (study-printed-pairs.tsv, row 0). */
#include "mapping/mapping.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Map `stream` with options o; the output text, and the rows in *rows. */
static const char *run(const map_opts *o, char *stream, uint64_t *rows)
{
    char *outp = unit_path("out.tsv");
    map_problem pb;
    mapper *m = map_new(o, &pb);
    UNIT_OK(pb.status == MAP_OK, "map_new: no problem");
    tsv_reader *r = tsv_open(&stream, 1);
    map_bind(m, r, &pb);
    UNIT_OK(pb.status == MAP_OK, "map_bind: no problem");
    out *w = out_open(outp);
    *rows = map_write(m, r, w);
    out_close(w);
    tsv_close(r);
    map_free(m);
    return unit_slurp(outp, NULL);
}

/* The stream's own header and rows, with which every output starts. */
#define HEAD "#embeddings=e.tsv\na\tb\tcosine\tx\teuclidean"
#define ROW_P "p\tq\t0.220304\tz\t7.776061\t"
#define ROW_R "r\ts\t0.41\tz\t12.5\t"

int main(void)
{
    /* (a copy: unit_path's buffers are reused after eight calls) */
    char *s = strdup(unit_write("s.tsv", "#embeddings=e.tsv\n"
                                         "a\tb\tcosine\tx\teuclidean\n"
                                         "p\tq\t0.220304\tz\t7.776061\n"
                                         "r\ts\t0.41\tz\t12.5\n"));
    char *mf0;
    uint64_t rows = 0;

    map_opts o = {.dm = deepface_find("Facenet"), .style = CONF_STUDY, .style_given = 1,
                  .verified = 1, .prec = 6};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\tcosine_verified\teuclidean_confidence"
               "\teuclidean_verified\n"
               ROW_P "79.066154\t1\t64.767739\t1\n" ROW_R "37.707323\t0\t14.746716\t0\n",
               "--model Facenet: every metric in the stream's order, the study's values");
    UNIT_OK(rows == 2, "two rows written");

    thrarg th = {0};
    const char *bad, *why;
    UNIT_OK(thrarg_parse(&th, "cosine=0.1", &bad, &why) == THRARG_OK, "-t " "cosine=0.1");
    o = (map_opts){.dm = deepface_find("Facenet"),
                   .th = &th,
                   .metrics = (const char *const[]){"euclidean", "cosine"},
                   .nmetrics = 2,
                   .style = CONF_CLAMPED,
                   .style_given = 1,
                   .verified = 1,
                   .prec = 2};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\teuclidean_confidence\teuclidean_verified\tcosine_confidence"
               "\tcosine_verified\n"
               ROW_P "64.77\t1\t49.00\t0\n" ROW_R "14.75\t0\t37.71\t0\n",
               "-m's order; -t cosine=0.1 overrides DeepFace's 0.40");
    thrarg_free(&th);

    char *mf = mf0 = strdup(unit_write("m.yaml", "version: 1\nmetrics:\n  cosine:\n    w: -6.5\n"
                                    "    b: 1.6\n    normalizer: 1.2\n"
                                    "    denorm_max_true: 77\n    denorm_min_true: 41\n"
                                    "    denorm_max_false: 20\n    denorm_min_false: 0.8\n"));
    o = (map_opts){.model_path = mf, .dm = deepface_find("Facenet"), .verified = 1, .prec = 2};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\tcosine_verified\n"
               ROW_P "76.90\t1\n" ROW_R "35.58\t0\n",
               "a model file: only its metrics; --model gives the missing threshold");

    o = (map_opts){.model_path = mf, .style = CONF_RAW, .style_given = 1, .prec = 4};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\n" ROW_P "60.0293\n" ROW_R "34.9592\n",
               "raw needs no threshold");

    /* --model alone: style deepface by default; -t decides verified, the
     * band stays at DeepFace's 0.40 (as verify(threshold=0.1)) */
    thrarg th2 = {0};
    UNIT_OK(thrarg_parse(&th2, "cosine=0.1", &bad, &why) == THRARG_OK, "-t " "cosine=0.1");
    o = (map_opts){.dm = deepface_find("Facenet"), .th = &th2, .metrics = (const char *const[]){"cosine"}, .nmetrics = 1,
                   .verified = 1, .prec = 6};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\tcosine_verified\n"
               ROW_P "79.070000\t0\n" ROW_R "36.580000\t0\n",
               "--model alone: deepface, -t decides only");
    /* a model file: clamped by default, and -t moves its band too */
    o = (map_opts){.model_path = mf, .th = &th2, .verified = 1, .prec = 2};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\tcosine_verified\n"
               ROW_P "49.00\t0\n" ROW_R "35.58\t0\n",
               "a model file: clamped, -t is the band's threshold");
    /* a model file without a threshold, style deepface: -t is both */
    o = (map_opts){.model_path = mf, .th = &th2, .style = CONF_DEEPFACE, .style_given = 1,
                   .verified = 1, .prec = 2};
    UNIT_STREQ(run(&o, s, &rows),
               HEAD "\tcosine_confidence\tcosine_verified\n"
               ROW_P "49.00\t0\n" ROW_R "35.58\t0\n",
               "no own threshold: -t decides and bands in style deepface");
    thrarg_free(&th2);

    char *h = unit_write("h.tsv", "cosine\tk\n");
    o = (map_opts){.dm = deepface_find("Facenet"), .prec = 2};
    UNIT_STREQ(run(&o, h, &rows), "cosine\tk\tcosine_confidence\n", "a header alone");
    UNIT_OK(rows == 0, "no rows");

    /* What the options name that the model lacks comes back to the caller. */
    map_problem pb;
    thrarg th3 = {0};
    UNIT_OK(thrarg_parse(&th3, "cosine=0.3,cosin=0.4", &bad, &why) == THRARG_OK, "-t cosin");
    o = (map_opts){.model_path = mf, .th = &th3, .prec = 2};
    mapper *m = map_new(&o, &pb);
    UNIT_OK(pb.status == MAP_THRESHOLD_UNKNOWN && strcmp(pb.name, "cosin") == 0 &&
                strcmp(pb.list, "cosine") == 0,
            "-t for a metric the model lacks: which, and the model's");
    map_free(m);
    thrarg_free(&th3);
    o = (map_opts){.dm = deepface_find("Facenet"),
                   .metrics = (const char *const[]){"cosine", "angle"}, .nmetrics = 2,
                   .prec = 2};
    m = map_new(&o, &pb);
    tsv_reader *r = tsv_open(&s, 1);
    map_bind(m, r, &pb);
    UNIT_OK(pb.status == MAP_METRIC_UNKNOWN && strcmp(pb.name, "angle") == 0 &&
                strcmp(pb.list, "cosine, euclidean, euclidean_l2, angular") == 0,
            "-m a metric the model lacks: which, and the model's");
    tsv_close(r);
    map_free(m);
    o = (map_opts){.model_path = mf, .verified = 1, .prec = 2}; /* mf has no threshold */
    m = map_new(&o, &pb);
    r = tsv_open(&s, 1);
    map_bind(m, r, &pb);
    UNIT_OK(pb.status == MAP_NO_THRESHOLD && strcmp(pb.name, "cosine") == 0,
            "no threshold from anywhere: which metric");
    tsv_close(r);
    map_free(m);

    /* The stream's embedding model against --model's: noted for the caller. */
    char *af = unit_write("af.tsv", "#embeddings=e.tsv\n#model=ArcFace\ncosine\n0.3\n");
    o = (map_opts){.dm = deepface_find("Facenet"), .prec = 2};
    m = map_new(&o, &pb);
    r = tsv_open(&af, 1);
    map_bind(m, r, &pb);
    const map_mismatch *mm = map_model_mismatch(m);
    UNIT_OK(pb.status == MAP_OK && mm && strcmp(mm->got, "ArcFace") == 0 &&
                strcmp(mm->want, "Facenet") == 0 && mm->line == 2 && mm->from_dm,
            "#model=ArcFace with --model Facenet: noted, with its line");
    tsv_close(r);
    map_free(m);
    o.quiet = 1;
    m = map_new(&o, &pb);
    r = tsv_open(&af, 1);
    map_bind(m, r, &pb);
    UNIT_OK(map_model_mismatch(m) == NULL, "quiet: nothing noted");
    tsv_close(r);
    map_free(m);

    free(s);
    free(mf0);
    return unit_done();
}
