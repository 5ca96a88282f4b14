/* confplot: the density of the confidence for same and different pairs,
 * as SVG or in the terminal, with n, min, mean, max per class. */
#include "cli/cli.h"
#include "common/diag.h"
#include "stream/num.h"
#include "stream/out.h"
#include "plot/plot.h"
#include "stream/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdnoreturn.h>

static noreturn void usage(void)
{
    printf("Usage: confplot [-c COL[,COL...]] [-y COL] [--svg FILE] [--width=N]\n"
           "                [--height=N] [--kde] [--no-band] [-p N] [-o FILE] [FILE...]\n"
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
           "  -p, --precision=N      decimals in the table (default 4)\n"
           "  -o, --output=FILE      write the drawing and the table to FILE (atomically);\n"
           "                         FILE.gz is written gzip-compressed; FILE must not\n"
           "                         be an input, nor the --svg FILE\n"
           CLI_HELP_STD
           "\n"
           "Table columns: column, the class column (1, then 0), n, min, mean, max,\n"
           "bandwidth (the kernel's standard deviation).\n"
           "\n"
           "Example:\n"
           "  pairgen ids.yaml | pairdist -m all | confmap -M model.yaml | confplot\n");
    exit(0);
}

/* plot_read found no value column (p is NULL), in confplot's words. */
static CLI_REFUSER void refuse(const plot *p, const tsv_reader *r)
{
    if (!p)
        tsv_die_header(r, "no value column: no column name ends in '%s' (columns: %s); name "
                          "them with -c",
                       PLOT_CONF_SUFFIX, tsv_col_list(r));
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
        {"precision", required_argument, NULL, 'p'},
        {"output", required_argument, NULL, 'o'},
        CLI_LONGOPTS_END,
    };
    const char *columns = NULL, *class_col = "same", *svg = NULL, *output = NULL;
    int width = 0, height = 0, band = 1, prec = 4, curves = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":c:y:p:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            columns = optarg;
            break;
        case 'y':
            class_col = optarg;
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
            break;
        case OPT_KDE:
            curves = 1;
            break;
        case 'p':
            prec = cli_precision(optarg);
            break;
        case 'o':
            output = optarg;
            break;
        default:
            cli_other_option(c, argv, usage);
        }
    }
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
