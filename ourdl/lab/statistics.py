"""Statistics over seeds: mean, standard deviation, a bootstrap 95% interval, and a claim's verdict with its test.

A comparison of two conditions measured on the same seeds is paired: the test is a paired
t-test on the per-seed differences (scipy's ``ttest_rel``), the interval a bootstrap interval of
the mean difference. Unpaired conditions use Welch's t-test. The claim is *supported* when the
difference has the claimed sign and the test rejects "no difference" at ``alpha``,
*contradicted* when it rejects it with the opposite sign, and *inconclusive* otherwise. A quick
run decides only at ``p < 0.01`` (its few seeds and short training can show an effect that a full
run does not confirm) and says ``"inconclusive (quick run)"`` otherwise.

>>> relu = [0.91, 0.93, 0.92, 0.94, 0.92]
>>> sigmoid = [0.85, 0.86, 0.84, 0.88, 0.85]
>>> v = compare("ReLU beats sigmoid", relu, sigmoid, paired=True)
>>> v.outcome.value, v.test
('supported', 'paired t-test')
>>> print(v.line())  # doctest: +ELLIPSIS
supported: ReLU beats sigmoid; difference +0.068 [95% CI +0.062, +0.074], paired t-test p = 5.39e-05, 5 seeds
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from enum import Enum

import numpy as np

RESAMPLES = 10_000
QUICK_ALPHA = 0.01


class Outcome(str, Enum):
    """A claim's verdict.

    >>> Outcome("supported") is Outcome.SUPPORTED
    True
    """

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    INCONCLUSIVE = "inconclusive"
    INCONCLUSIVE_QUICK = "inconclusive (quick run)"


@dataclass(frozen=True)
class Summary:
    """``n`` values' mean, standard deviation (``ddof=1``) and bootstrap 95% interval of the mean.

    >>> summarise([0.5, 0.7]).text()
    '0.6 ± 0.14 [0.5, 0.7]'
    """

    n: int
    mean: float
    std: float
    low: float
    high: float

    def text(self, digits: int = 3) -> str:
        """``"0.912 ± 0.011 [0.903, 0.921]"``: mean ± standard deviation [95% interval]."""
        return f"{self.mean:.{digits}g} ± {self.std:.2g} [{self.low:.{digits}g}, {self.high:.{digits}g}]"


@dataclass(frozen=True)
class Verdict:
    """A claim, its outcome, and the numbers behind it: the difference (or mean), its 95% interval, the test.

    >>> compare_to("above 0", [0.2, 0.3, 0.25], 0.0).as_dict()["outcome"]
    'supported'
    """

    claim: str
    outcome: Outcome
    difference: float
    low: float
    high: float
    test: str
    p_value: float
    n: int

    def line(self) -> str:
        """One line for the top of a report."""
        return (f"{self.outcome.value}: {self.claim}; difference {self.difference:+.3g} "
                f"[95% CI {self.low:+.3g}, {self.high:+.3g}], {self.test} p = {self.p_value:.3g}, {self.n} seeds")

    def as_dict(self) -> dict:
        """JSON-friendly fields (for ``values.json``)."""
        return {"claim": self.claim, "outcome": self.outcome.value, "difference": self.difference,
                "ci": [self.low, self.high], "test": self.test, "p_value": self.p_value, "n": self.n}


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).ravel()
    return array[np.isfinite(array)]


def bootstrap_ci(values, level: float = 0.95, resamples: int = RESAMPLES, seed: int = 0) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values`` (NaN for no value; the value itself for one).

    Resamples ``values`` with replacement ``resamples`` times and takes the ``(1 - level) / 2`` and
    ``(1 + level) / 2`` quantiles of the resampled means. The generator is seeded: the same values
    give the same interval.

    >>> bootstrap_ci([1.0, 2.0, 3.0, 4.0])
    (1.5, 3.5)
    """
    array = np.asarray(values, dtype=np.float64).ravel()
    if array.size == 0:
        return math.nan, math.nan
    if array.size == 1:
        return float(array[0]), float(array[0])
    rng = np.random.default_rng(seed)
    means = array[rng.integers(0, array.size, size=(resamples, array.size))].mean(axis=1)
    low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def summarise(values) -> Summary:
    """Mean, standard deviation and bootstrap 95% interval of the finite ``values`` (NaN and inf are left out).

    >>> s = summarise([0.5, 0.7, 0.6, float("nan")])
    >>> s.n, round(s.mean, 3), round(s.std, 3)
    (3, 0.6, 0.1)
    """
    array = _finite(values)
    if array.size == 0:
        return Summary(0, math.nan, math.nan, math.nan, math.nan)
    std = float(array.std(ddof=1)) if array.size > 1 else 0.0
    return Summary(int(array.size), float(array.mean()), std, *bootstrap_ci(array))


def _decide(difference: float, p_value: float, low: float, high: float, greater: bool, alpha: float,
            quick: bool) -> Outcome:
    if quick:  # a quick run's few seeds decide only what is clear, so that it does not claim more than a full run
        alpha = min(alpha, QUICK_ALPHA)
    if math.isfinite(p_value) and p_value < alpha:
        # the interval must agree with the test (it can disagree on very few seeds)
        if (difference > 0) == greater and (low > 0 if greater else high < 0):
            return Outcome.SUPPORTED
        if (difference > 0) != greater and (high < 0 if greater else low > 0):
            return Outcome.CONTRADICTED
    return Outcome.INCONCLUSIVE_QUICK if quick else Outcome.INCONCLUSIVE


def _t_test(sample: np.ndarray) -> float:
    """Two-sided one-sample t-test p-value of ``mean(sample) == 0``; a constant sample is decided exactly."""
    from scipy import stats  # deferred: scipy.stats takes a quarter of a second to import

    if sample.size < 2:
        return math.nan
    if np.all(sample == sample[0]):
        return 0.0 if sample[0] != 0 else 1.0
    with warnings.catch_warnings():  # nearly equal values: scipy warns of precision loss, the p-value stays right
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.ttest_1samp(sample, 0.0).pvalue)


def compare(claim: str, a, b, paired: bool, greater: bool = True, alpha: float = 0.05,
            quick: bool = False) -> Verdict:
    """The verdict on "``a`` is greater than ``b``" (``greater=False``: smaller), over seeds.

    ``paired=True``: ``a[i]`` and ``b[i]`` come from the same seed; a run whose value is not finite
    drops its pair. The test is a paired t-test on the differences, else Welch's t-test.

    >>> compare("tanh is smaller", [0.1, 0.2, 0.15], [0.5, 0.6, 0.55], paired=False, greater=False).outcome
    <Outcome.SUPPORTED: 'supported'>
    >>> compare("equal", [1.0, 2.0], [2.0, 1.0], paired=True).outcome.value
    'inconclusive'
    """
    if paired:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a.shape != b.shape and a.size and b.size:
            raise ValueError(f"lab: a paired comparison needs one value of each per seed, got {a.size} and {b.size}")
        differences = (a - b)[np.isfinite(a) & np.isfinite(b)] if a.size and b.size else np.zeros(0)
        difference = float(differences.mean()) if differences.size else math.nan
        low, high = bootstrap_ci(differences)
        p_value, test, n = _t_test(differences), "paired t-test", int(differences.size)
    else:
        a, b = _finite(a), _finite(b)
        difference = float(a.mean() - b.mean()) if a.size and b.size else math.nan
        rng = np.random.default_rng(0)
        low, high = (np.quantile(a[rng.integers(0, a.size, (RESAMPLES, a.size))].mean(1)
                                 - b[rng.integers(0, b.size, (RESAMPLES, b.size))].mean(1), [0.025, 0.975])
                     if a.size and b.size else (math.nan, math.nan))
        low, high = float(low), float(high)
        p_value, test, n = _welch(a, b), "Welch's t-test", int(min(a.size, b.size))
    return Verdict(claim, _decide(difference, p_value, low, high, greater, alpha, quick), difference, low, high,
                   test, p_value, n)


def _welch(a: np.ndarray, b: np.ndarray) -> float:
    from scipy import stats

    if a.size < 2 or b.size < 2:
        return math.nan
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return 0.0 if a[0] != b[0] else 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(stats.ttest_ind(a, b, equal_var=False).pvalue)


def compare_to(claim: str, values, reference: float, greater: bool = True, alpha: float = 0.05,
               quick: bool = False) -> Verdict:
    """The verdict on "the mean of ``values`` is above ``reference``" (``greater=False``: below): a one-sample t-test.

    >>> compare_to("accuracy above chance", [0.3, 0.35, 0.32, 0.31], 0.1).outcome.value
    'supported'
    """
    sample = _finite(values) - reference
    difference = float(sample.mean()) if sample.size else math.nan
    low, high = bootstrap_ci(sample)
    p_value = _t_test(sample)
    return Verdict(claim, _decide(difference, p_value, low, high, greater, alpha, quick), difference, low, high,
                   "one-sample t-test", p_value, int(sample.size))


def equivalent(claim: str, a, b, margin: float, quick: bool = False) -> Verdict:
    """The verdict on "``a`` and ``b`` (paired by seed) differ by less than ``margin``": the interval of the difference.

    Supported when the 90% t-interval of the mean difference lies inside ``±margin`` (two one-sided
    t-tests at 5%, TOST, as bioequivalence is judged; 98% and 1% on a quick run), contradicted when it
    lies wholly outside,
    inconclusive otherwise. The reported interval is the 95% one, as for every claim.

    >>> equivalent("GELU ~ ReLU", [0.90, 0.91, 0.92, 0.90], [0.91, 0.90, 0.92, 0.91], margin=0.02).outcome.value
    'supported'
    >>> equivalent("sigmoid ~ ReLU", [0.50, 0.52, 0.49, 0.51], [0.91, 0.90, 0.92, 0.91], margin=0.02).outcome.value
    'contradicted'
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    differences = (a - b)[np.isfinite(a) & np.isfinite(b)] if a.size and b.size else np.zeros(0)
    difference = float(differences.mean()) if differences.size else math.nan
    low, high = bootstrap_ci(differences)
    if differences.size >= 2:
        from scipy import stats

        side = QUICK_ALPHA if quick else 0.05  # each one-sided test's level
        half = stats.t.ppf(1 - side, differences.size - 1) * differences.std(ddof=1) / math.sqrt(differences.size)
        low90, high90 = difference - half, difference + half
    if differences.size >= 2 and -margin < low90 and high90 < margin:
        outcome = Outcome.SUPPORTED
    elif differences.size >= 2 and (low90 > margin or high90 < -margin):
        outcome = Outcome.CONTRADICTED
    else:
        outcome = Outcome.INCONCLUSIVE_QUICK if quick else Outcome.INCONCLUSIVE
    p_value = _t_test(differences)
    return Verdict(claim, outcome, difference, low, high, f"TOST (90% t-interval within ±{margin:g}); t-test", p_value,
                   int(differences.size))
