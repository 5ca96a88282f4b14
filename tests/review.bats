#!/usr/bin/env bats
# Found in the review of issue 11's refactoring: each test pins a defect that
# was fixed after it.

load test_helper
bats_require_minimum_version 1.5.0

@test "--list-models after -t: the thresholds given are freed (LeakSanitizer)" {
    for t in logfit confmap; do
        run -0 --separate-stderr $t -t cosine=0.3,angular=0.2 --list-models
        assert_equal "${output%%$'\n'*}" $'model\tcosine\teuclidean\teuclidean_l2\tangular'
        assert_equal "$stderr" ""
    done
}
