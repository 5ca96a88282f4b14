/* Unit tests for lib/distances/f32.c: the fast scan agrees with strtof
 * where it answers, and the strict parse's reasons. */
#include "distances/f32.h"
#include "unit.h"

#include <stdlib.h>

int main(void)
{
    float v;
    const char *s = "0.12345678901234567\t";
    const char *q = f32_scan(s, s + 19, &v);
    UNIT_OK(q == s + 19 && v == strtof("0.12345678901234567", NULL), "17 digits, as Python writes");
    s = "-1.5e3,";
    q = f32_scan(s, s + 6, &v);
    UNIT_OK(q == s + 6 && v == -1500.0f, "a sign and an exponent");
    s = "1e300";
    UNIT_OK(f32_scan(s, s + 5, &v) == NULL, "past the fast path: no answer");
    /* many values: the scan is right or silent */
    int wrong = 0;
    srand(7);
    for (int i = 0; i < 100000; i++) {
        char b[64];
        int n = snprintf(b, sizeof b, "%.*g", 1 + rand() % 17,
                         (rand() - RAND_MAX / 2) / (double)(1 + rand() % 100000));
        q = f32_scan(b, b + n, &v);
        wrong += q && (q != b + n || v != strtof(b, NULL));
    }
    UNIT_OK(wrong == 0, "100000 random decimals: the scan equals strtof when it answers");

    UNIT_OK(f32_parse("2.5", 3, &v) == NULL && v == 2.5f, "a plain value");
    UNIT_OK(f32_parse("1e-50", 5, &v) == NULL && v == 0, "too small for float32: 0");
    UNIT_STREQ(f32_parse("1e39", 4, &v), "is out of float32 range", "too large for float32");
    UNIT_STREQ(f32_parse("1e999", 5, &v), "is out of float32 range", "too large for a double");
    UNIT_STREQ(f32_parse("-NaN", 4, &v), "is NaN", "NaN");
    UNIT_STREQ(f32_parse("Infinity", 8, &v), "is infinite", "an infinity");
    UNIT_STREQ(f32_parse("", 0, &v), "is empty", "empty");
    UNIT_STREQ(f32_parse("1x", 2, &v), "is not a number", "text");
    UNIT_OK(f32_is_nonfinite("+inf", 4) && f32_is_nonfinite("nan", 3) &&
                !f32_is_nonfinite("infinit", 7) && !f32_is_nonfinite("", 0),
            "the non-finite words");
    return unit_done();
}
