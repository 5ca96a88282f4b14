/* confplot: the density of the confidence for same and different pairs,
 * as SVG or in the terminal, with n, min, mean, max per class; or, from
 * confeval's tables, the DET curves (--det) or the reliability diagram
 * (--reliability). */
#include "cli/cli.h"
#include "common/diag.h"
#include "plot/plot.h"
#include "plot/plot_eval.h"
#include "stream/num.h"
#include "stream/out.h"
#include "stream/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>
#include <string.h>

static noreturn void usage(void)
{
    printf("Usage: confplot [-c COL[,COL...]] [-y COL] [--svg FILE] [--width=N]\n"
           "                [--height=N] [--kde] [--no-band] [-p N] [-o FILE] [FILE...]\n"
           "       confplot --det [-c COL[,COL...]] [--svg FILE] [--width=N] [--height=N]\n"
           "                [-p N] [-o FILE] [FILE...]\n"
           "       confplot --reliability [-c COL[,COL...]] [--svg FILE] [--width=N]\n"
           "                [--height=N] [-o FILE] [FILE...]\n"
           "Draw the density of each value column for the two classes of a 0/1 column\n"
           "(the confidence of same-person and different-person pairs): a Gaussian kernel\n"
           "density estimate with Scott's bandwidth, as pandas' plot.kde draws it.  Then\n"
           "print n, min, mean, max per class.  With no FILE, or when FILE is -, read\n"
           "standard input.\n"
           "\n"
           "  -c, --columns=COL[,COL...]  the value columns, one panel each (default: every\n"
           "                         column whose name ends in _confidence)\n"
           "  -y, --class=COL        the class column, 0 or 1 on every row (default: same)\n"
           "      --svg FILE         write the figure as SVG to the file FILE (atomically)\n"
           "                         instead of drawing it in the terminal; - is standard\n"
           "                         output (and then no table is printed); FILE must not\n"
           "                         be an input\n"
           "      --width=N          the terminal drawing's width in columns and\n"
           "      --height=N         each panel's height in lines (default: the terminal's\n"
           "                         size, else 80 x 20)\n"
           "      --kde              print the curves instead of drawing them: column, the\n"
           "                         class column, x, density; 1000 points a class from\n"
           "                         min - range/2 to max + range/2, as pandas\n"
           "      --no-band          leave out the 49-51 boundary between the classes\n"
           "      --det              draw the DET curves of confeval --roc's table: FNMR\n"
           "                         against FMR on normal-deviate axes, a line per column\n"
           "                         with its EER point; then print the EER points\n"
           "      --reliability      draw confeval --reliability's table: each bin's\n"
           "                         observed share of same pairs against its predicted\n"
           "                         value, with its interval, a panel per column\n"
           "  -p, --precision=N      decimals in the table (default 4)\n"
           "  -o, --output=FILE      write the drawing and the table to FILE (atomically);\n"
           "                         FILE.gz is written gzip-compressed; FILE must not\n"
           "                         be an input, nor the --svg FILE\n" CLI_HELP_STD "\n"
           "Table columns: column, the class column (1, then 0), n, min, mean, max,\n"
           "bandwidth (the kernel's standard deviation); with --det: column, points,\n"
           "drawn, eer, and the EER point's fmr, fnmr, threshold.  With --det and\n"
           "--reliability, -c names the table's columns (the values of its 'column').\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m all | confmap -M model.yaml | confplot\n"
           "  confeval --roc conf.tsv | confplot --det --svg det.svg\n");
    exit(0);
}

/* plot_read found no value column (p is NULL), in confplot's words. */
static CLI_REFUSER void refuse(const plot *p, const tsv_reader *r)
{
    if (!p)
        tsv_die_header(r,
                       "no value column: no column name ends in '%s' (columns: %s); name "
                       "them with -c",
                       PLOT_CONF_SUFFIX, tsv_col_list(r));
}

/* --det or --reliability (reliability): the figure of confeval's table, as SVG to
 * s or in the terminal to o; --det's table to o. */
static void draw_eval(tsv_reader *r, const cli_list *cl, int reliability, out *s, out *o,
                      int width, int height, int prec)
{
    const char *const *names = (const char *const *)cl->item;
    if (reliability) {
        rel *l = rel_read(r, names, cl->n);
        if (s) {
            rel_svg(l, s);
            out_close(s);
        } else {
            rel_term(l, o, width, height);
        }
        rel_free(l);
        return;
    }
    det *d = det_read(r, names, cl->n);
    if (s) {
        det_svg(d, s);
        out_close(s);
        if (o) /* not with --svg - */
            det_table(d, o, prec);
    } else {
        det_term(d, o, width, height);
        out_putc(o, '\n');
        det_table(d, o, prec);
    }
    det_free(d);
}

int main(int argc, char **argv)
{
    diag_init(argv[0]);
    static const struct option longopts[] = {
        {"columns", required_argument, NULL, 'c'},
        {"class", required_argument, NULL, 'y'},
        {"svg", required_argument, NULL, OPT_SVG},
        {"width", required_argument, NULL, OPT_WIDTH},
        {"height", required_argument, NULL, OPT_HEIGHT},
        {"no-band", no_argument, NULL, OPT_NO_BAND},
        {"kde", no_argument, NULL, OPT_KDE},
        {"det", no_argument, NULL, OPT_DET},
        {"reliability", no_argument, NULL, OPT_RELIABILITY},
        {"precision", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        CLI_LONGOPTS_END,
    };
    const char *columns = NULL, *class_col = "same", *svg = NULL, *output = NULL;
    int width = 0, height = 0, band = 1, prec = 4, curves = 0;
    /* --det, --reliability: the figure of a confeval table; what the
     * density's options were given, to refuse them there */
    const char *eval = NULL, *density_opt = NULL;
    int c, prec_given = 0;
    while ((c = getopt_long(argc, argv, ":c:y:p:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            columns = optarg;
            break;
        case 'y':
            class_col = optarg;
            density_opt = "-y";
            break;
        case OPT_SVG:
            svg = optarg;
            break;
        case OPT_WIDTH:
            width = (int)num_arg_int("--width", optarg, 20, 1000);
            break;
        case OPT_HEIGHT:
            height = (int)num_arg_int("--height", optarg, 5, 1000);
            break;
        case OPT_NO_BAND:
            band = 0;
            density_opt = "--no-band";
            break;
        case OPT_KDE:
            curves = 1;
            density_opt = "--kde";
            break;
        case OPT_DET:
        case OPT_RELIABILITY: {
            const char *e = c == OPT_DET ? "--det" : "--reliability";
            if (eval && strcmp(eval, e) != 0)
                die_usage("--det and --reliability exclude each other");
            eval = e;
            break;
        }
        case 'p':
            prec = cli_precision(optarg);
            prec_given = 1;
            break;
        case 'o':
            output = optarg;
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
    if (eval && density_opt)
        die_usage("%s and %s exclude each other", eval, density_opt);
    int rel_only = eval && strcmp(eval, "--reliability") == 0; /* no table */
    if (rel_only && prec_given)
        die_usage("--reliability prints no table: -p has nothing to format");
    if (rel_only && svg && output)
        die_usage("--reliability --svg writes the figure alone: -o has nothing to write");
    if (svg && curves)
        die_usage("--svg and --kde exclude each other");
    cli_list cl = {0};
    if (columns)
        cli_list_parse(&cl, "--columns", columns);

    /* Every output is opened (nothing is created yet) and checked against
     * the inputs and each other before the stream is read. */
    size_t npaths = (size_t)(argc - optind);
    out *s = svg ? out_open(svg) : NULL;
    /* --svg - or a name of standard output (/dev/stdout): the figure alone */
    int svg_stdout = s && out_is_stdout(s);
    if (svg_stdout && output)
        die_usage("--svg %s writes the figure to standard output: -o has nothing to write",
                  svg);
    out *o = !svg_stdout ? out_open(output) : NULL;
    if (s)
        out_refuse_inputs(s, argv + optind, npaths, "the stream");
    if (o)
        out_refuse_inputs(o, argv + optind, npaths, "the stream");
    if (s && o)
        out_refuse_same(s, "--svg", o, "-o");
    if (s)
        out_refuse_non_svg(s, "--svg");

    tsv_reader *r = tsv_open(argv + optind, npaths);
    tsv_refuse_store_output(r, s);
    tsv_refuse_store_output(r, o);
    if (eval) {
        int tw, th;
        plot_term_size(&tw, &th);
        if (!width)
            width = tw < 20 ? 20 : tw;
        if (!height)
            height = th < 5 ? 5 : th;
        draw_eval(r, &cl, rel_only, s, o, width, height, prec);
        if (o)
            out_close(o);
        cli_list_free(&cl);
        tsv_close(r);
        return 0;
    }
    plot *p = plot_read(r, (const char *const *)cl.item, cl.n, class_col);
    refuse(p, r);
    p->band = band;

    if (curves) {
        plot_curves(p, o);
    } else if (svg) {
        plot_svg(p, s);
        out_close(s);
        if (o)
            plot_table(p, o, prec);
    } else {
        int tw, th;
        plot_term_size(&tw, &th);
        if (!width)
            width = tw < 20 ? 20 : tw;
        if (!height)
            height = th < 5 ? 5 : th;
        plot_term(p, o, width, height);
        plot_table(p, o, prec);
    }
    if (o)
        out_close(o);
    plot_free(p);
    cli_list_free(&cl);
    tsv_close(r);
    return 0;
}
