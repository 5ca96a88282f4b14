/* Unit tests for lib/common/name.c: the rule per kind of name, how a name is shown
 * (terminal, SVG, messages), which names YAML may hold plain. */
#include "common/diag.h"
#include "common/name.h"
#include "unit.h"

#include <stdlib.h>

#define N(s) (s), sizeof(s) - 1

static const char *why(name_kind k, const char *p, size_t n)
{
    const char *w = name_check(k, p, n);
    return w ? w : "(accepted)";
}

static int shows(const char *p, size_t n, const char *want)
{
    char *s = name_show(p, n);
    int ok = strcmp(s, want) == 0;
    if (!ok)
        printf("#   got '%s', want '%s'\n", s, want);
    free(s);
    return ok;
}

int main(void)
{
    /* confmap's column names, and what is not one of them */
    UNIT_OK(name_score_of("cosine_confidence") == NAME_SCORE_CONFIDENCE, "score: _confidence");
    UNIT_OK(name_score_of("x_probability") == NAME_SCORE_PROBABILITY, "score: _probability");
    UNIT_OK(name_score_of("x_probability_lo") == NAME_SCORE_BOUND &&
                name_score_of("x_probability_hi") == NAME_SCORE_BOUND,
            "score: the bounds of the interval");
    UNIT_OK(name_score_of("_confidence") == NAME_SCORE_NONE &&
                name_score_of("cosine") == NAME_SCORE_NONE &&
                name_score_of("x_probability_mid") == NAME_SCORE_NONE &&
                name_score_of("confidence") == NAME_SCORE_NONE,
            "score: a suffix alone, a metric, another suffix: none");
    /* The rule: the same refusals for every kind. */
    static const name_kind kinds[] = {NAME_ITEM, NAME_IDENTITY, NAME_COLUMN, NAME_PATH};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        name_kind k = kinds[i];
        UNIT_STREQ(why(k, N("")), "is empty", "kind %zu: empty", i);
        UNIT_STREQ(why(k, N("a\tb")), "holds a TAB", "kind %zu: TAB", i);
        UNIT_STREQ(why(k, N("a\nb")), "holds a line feed", "kind %zu: LF", i);
        UNIT_STREQ(why(k, N("a\rb")), "holds a carriage return", "kind %zu: CR", i);
        UNIT_STREQ(why(k, N("a\0b")), "holds a NUL byte", "kind %zu: NUL", i);
        UNIT_STREQ(why(k, N("\t\n")), "holds a TAB", "kind %zu: the first offender decides", i);
        UNIT_STREQ(why(k, N("img 001.jpg")), "(accepted)", "kind %zu: a plain name", i);
        UNIT_STREQ(why(k, N("a\x1b[31mb")), "(accepted)", "kind %zu: ESC is no separator", i);
        UNIT_STREQ(why(k, N(" ")), "(accepted)", "kind %zu: a space", i);
    }
    UNIT_STREQ(why(NAME_ITEM, N("caf\xe9")), "(accepted)", "an item may be Latin-1");
    UNIT_STREQ(why(NAME_COLUMN, N("caf\xe9")), "is not valid UTF-8",
               "a column into a model may not");
    UNIT_STREQ(why(NAME_COLUMN, N("caf\xc3\xa9")), "(accepted)", "UTF-8 is fine");
    UNIT_STREQ(why(NAME_COLUMN, N("\xed\xa0\x80")), "is not valid UTF-8", "a surrogate");
    UNIT_STREQ(why(NAME_COLUMN, N("\xc0\xaf")), "is not valid UTF-8", "an overlong '/'");
    UNIT_STREQ(why(NAME_COLUMN, N("\xf4\x90\x80\x80")), "is not valid UTF-8",
               "above U+10FFFF");
    UNIT_STREQ(why(NAME_COLUMN, N("\xe2\x82")), "is not valid UTF-8", "a cut sequence");
    UNIT_STREQ(why(NAME_COLUMN, N("\xf0\x9f\x98\x80")), "(accepted)", "an emoji");

    /* Long names: nothing is cut. */
    size_t big = 100000;
    char *longname = malloc(big);
    memset(longname, 'x', big);
    UNIT_STREQ(why(NAME_COLUMN, longname, big), "(accepted)", "100000 bytes");
    char *shown = name_show(longname, big);
    UNIT_OK(strlen(shown) == big && name_width(shown) == big, "shown whole");
    free(shown);
    free(longname);

    /* Shown: controls, DEL, C1, invalid UTF-8, noncharacters, separators
     * and bidi controls become '?'; the rest stays. */
    UNIT_OK(shows(N("plain"), "plain"), "plain stays");
    UNIT_OK(shows(N("a\x1b[2Jb"), "a?[2Jb"), "ESC");
    UNIT_OK(shows(N("\t\n\r\x7f"), "????"), "TAB LF CR DEL");
    UNIT_OK(shows(N("a\0b"), "a?b"), "NUL");
    UNIT_OK(shows(N("\xc2\x9b" "31m"), "?31m"), "C1 CSI is one '?'");
    UNIT_OK(shows(N("caf\xe9!"), "caf?!"), "a Latin-1 byte");
    UNIT_OK(shows(N("\xe2\x82"), "??"), "a cut sequence: a '?' per byte");
    UNIT_OK(shows(N("\xef\xbf\xbe\xef\xbf\xbf"), "??"), "U+FFFE and U+FFFF");
    UNIT_OK(shows(N("\xe2\x80\xae" "abc"), "?abc"), "right-to-left override");
    UNIT_OK(shows(N("\xe2\x80\xa8\xef\xbb\xbf"), "??"), "line separator and BOM");
    UNIT_OK(shows(N("\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"), "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"),
            "UTF-8 text stays");
    UNIT_OK(name_width("\xc3\xa9t\xc3\xa9") == 3, "width counts characters");

    /* diag_quote shows the same way, cut on a character's boundary. */
    char q[DIAG_QUOTE_MAX];
    UNIT_STREQ(diag_quote(q, sizeof q, N("a\x1b\xc2\x9b\xff")), "a???", "diag_quote escapes");
    char e40[64];
    memset(e40, 'a', 39);
    memcpy(e40 + 39, "\xc3\xa9z", 3);
    UNIT_STREQ(diag_quote(q, sizeof q, e40, 42), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...",
               "a character across the cut is left out whole");
    UNIT_STREQ(diag_quote(q, sizeof q, e40, 40), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?",
               "a cut sequence shows as '?'");

    /* YAML: plain only when every reader takes it for a string. */
    static const char *const quoted[] = {
        "",      "0x10",    "0o17",       "017",  ".inf",    "-.Inf",   ".nan",   "1_000",
        "2024-01-01", "12:30", "1:20:30", "yes",  "No",      "on",      "off",    "y",
        "n",     "Y",       "N",          "~",    "null",    "NULL",    "true",   "False",
        "1e3",   "+1",      ".5",         "-1",   "a: b",    "a #b",    " a",     "a ",
        "-x",    "?x",      "[x",         "]x",   "{x",      "}x",      ",x",     "&x",
        "*x",    "!x",      "|x",         ">x",   "'x",      "\"x",     "%x",     "@x",
        "`x",    "#x",      "=",          "<<",   "a:b",     "a#b",     "a b",    "a\x1b",
        "\xc3\xa9", "0b101", "1.0",       "a,b",  "a[0]",    "a{b}",    "_a b",   "a\\b",
    };
    for (size_t i = 0; i < sizeof quoted / sizeof quoted[0]; i++)
        UNIT_OK(!name_yaml_plain(quoted[i], strlen(quoted[i])), "quoted: '%s'", quoted[i]);
    static const char *const plain[] = {"cosine", "euclidean_l2", "Facenet512", "VGG-Face",
                                        "given",  "tuned",        "_x",         "a.b/c",
                                        "yess",   "nan",          "inf",        "offset"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        UNIT_OK(name_yaml_plain(plain[i], strlen(plain[i])), "plain: '%s'", plain[i]);

    /* Lists of names in messages. */
    char list[28] = "";
    name_list_add(list, sizeof list, "cosine");
    name_list_add(list, sizeof list, "a\x1b");
    UNIT_STREQ(list, "cosine, a?", "a list shows names as diag_quote does");
    name_list_add(list, sizeof list, "euclidean_l2");
    name_list_add(list, sizeof list, "x");
    UNIT_STREQ(list, "cosine, a?, ...", "a full list ends with ...");
    name_list_add(list, sizeof list, "y");
    UNIT_STREQ(list, "cosine, a?, ...", "and takes no more");
    UNIT_STREQ(name_q("a\x1b" "b"), "a?b", "name_q");
    return unit_done();
}
