"""Statistics over seeds: bootstrap intervals that cover, tests that agree with scipy, verdicts that can go each way."""

import math

import numpy as np
import pytest
from scipy import stats

from ourdl.lab.statistics import Outcome, bootstrap_ci, compare, compare_to, equivalent, summarise


def test_the_bootstrap_interval_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(0)
    covered = sum(lo <= 1.0 <= hi for lo, hi in (bootstrap_ci(rng.normal(1.0, 2.0, 30), resamples=2000)
                                                 for _ in range(300)))
    assert 0.90 <= covered / 300 <= 0.98


def test_summary_leaves_out_non_finite_values_and_handles_tiny_samples():
    s = summarise([1.0, 3.0, float("nan"), float("inf")])
    assert (s.n, s.mean, s.std) == (2, 2.0, pytest.approx(math.sqrt(2)))
    assert summarise([5.0]) == summarise([5.0]) and summarise([5.0]).low == 5.0 == summarise([5.0]).high
    assert summarise([]).n == 0 and math.isnan(summarise([]).mean)


def test_paired_and_welch_tests_match_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.9, 0.02, 8), rng.normal(0.88, 0.03, 8)
    paired = compare("a > b", a, b, paired=True)
    assert paired.p_value == pytest.approx(stats.ttest_rel(a, b).pvalue)
    assert paired.difference == pytest.approx(np.mean(a - b)) and paired.low < paired.difference < paired.high
    welch = compare("a > b", a, b, paired=False)
    assert welch.p_value == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue)
    assert welch.test == "Welch's t-test"


@pytest.mark.parametrize("greater, outcome", [(True, Outcome.SUPPORTED), (False, Outcome.CONTRADICTED)])
def test_verdicts_go_both_ways(greater, outcome):
    a, b = [0.91, 0.93, 0.92, 0.94, 0.95], [0.85, 0.86, 0.84, 0.88, 0.85]
    assert compare("claim", a, b, paired=True, greater=greater).outcome is outcome
    assert compare("claim", a, b, paired=False, greater=greater).outcome is outcome


def test_too_few_or_noisy_seeds_are_inconclusive_and_a_quick_run_says_so():
    assert compare("one seed", [0.9], [0.8], paired=True).outcome is Outcome.INCONCLUSIVE
    noisy = compare("noise", [0.1, 0.9, 0.5], [0.5, 0.4, 0.6], paired=True, quick=True)
    assert noisy.outcome is Outcome.INCONCLUSIVE_QUICK and noisy.outcome.value == "inconclusive (quick run)"
    assert "3 seeds" in noisy.line() and "paired t-test" in noisy.line()


def test_a_paired_comparison_drops_a_failed_seed_and_needs_equal_lengths():
    v = compare("c", [0.9, float("nan"), 0.92, 0.93], [0.8, 0.8, 0.81, 0.8], paired=True)
    assert v.n == 3 and v.outcome is Outcome.SUPPORTED
    with pytest.raises(ValueError, match="one value of each per seed"):
        compare("c", [1.0, 2.0], [1.0], paired=True)


def test_one_sample_and_equivalence_claims():
    assert compare_to("below 0.75", [0.5, 0.49, 0.51], 0.75, greater=False).outcome is Outcome.SUPPORTED
    assert compare_to("above 0.75", [0.5, 0.49, 0.51], 0.75).outcome is Outcome.CONTRADICTED
    close = equivalent("close", [0.90, 0.91, 0.92, 0.905], [0.91, 0.90, 0.915, 0.91], margin=0.02)
    assert close.outcome is Outcome.SUPPORTED and "TOST" in close.test
    assert equivalent("close", [0.5, 0.52, 0.51], [0.9, 0.91, 0.9], margin=0.02).outcome is Outcome.CONTRADICTED
    assert equivalent("close", [0.8, 0.95, 0.85], [0.9, 0.85, 0.88], margin=0.02).outcome is Outcome.INCONCLUSIVE


def test_a_quick_run_decides_only_what_is_clear():
    a, b = [0.52, 0.50, 0.55, 0.49], [0.50, 0.49, 0.51, 0.50]      # p about 0.1 > 0.05: undecided either way
    assert compare("c", a, b, paired=True).outcome is Outcome.INCONCLUSIVE
    a, b = [0.53, 0.51, 0.55, 0.52], [0.50, 0.49, 0.51, 0.50]      # 0.01 < p < 0.05
    v = compare("c", a, b, paired=True)
    assert 0.01 < v.p_value < 0.05 and v.outcome is Outcome.SUPPORTED
    assert compare("c", a, b, paired=True, quick=True).outcome is Outcome.INCONCLUSIVE_QUICK
    assert compare("c", [0.9, 0.91, 0.92], [0.5, 0.52, 0.5], paired=True, quick=True).outcome is Outcome.SUPPORTED
