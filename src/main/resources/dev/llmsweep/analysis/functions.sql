-- SQL functions used by points.sql (registered by dev.llmsweep.analysis.Aggregator).
-- Every function takes samples sorted ascending, as sample_summary(...).sorted returns them.

-- Quantile p of sorted samples s: linear interpolation between the closest ranks
-- (Hyndman & Fan type 7; the definition of Spark's exact `percentile` and numpy's default).
CREATE OR REPLACE TEMPORARY FUNCTION llm_quantile(s ARRAY<DOUBLE>, p DOUBLE)
RETURNS DOUBLE
RETURN CASE WHEN size(s) > 0 THEN
  try_element_at(s, CAST(floor((size(s) - 1) * p) AS INT) + 1)
  + ((size(s) - 1) * p - floor((size(s) - 1) * p))
  * (try_element_at(s, least(CAST(floor((size(s) - 1) * p) AS INT) + 2, size(s)))
     - try_element_at(s, CAST(floor((size(s) - 1) * p) AS INT) + 1))
END;

-- 1-based rank of the lower end of the distribution-free 95% confidence interval of quantile p
-- over n samples: the number of samples below the true quantile is Binomial(n, p); with its
-- normal approximation, [x(l), x(u)] covers the quantile with about 95% probability for
-- l = floor(np - z sqrt(np(1-p))) and u = ceil(np + z sqrt(np(1-p))) + 1, z = 1.96.
CREATE OR REPLACE TEMPORARY FUNCTION llm_ci_low_rank(n BIGINT, p DOUBLE)
RETURNS BIGINT
RETURN CAST(floor(n * p - 1.959963984540054 * sqrt(n * p * (1 - p))) AS BIGINT);

CREATE OR REPLACE TEMPORARY FUNCTION llm_ci_high_rank(n BIGINT, p DOUBLE)
RETURNS BIGINT
RETURN CAST(ceil(n * p + 1.959963984540054 * sqrt(n * p * (1 - p))) AS BIGINT) + 1;

-- k-th smallest sample (1-based); NULL when k falls outside the sample: the interval is then
-- unbounded on that side, because the data cannot bound it.
CREATE OR REPLACE TEMPORARY FUNCTION llm_order_stat(s ARRAY<DOUBLE>, k BIGINT)
RETURNS DOUBLE
RETURN CASE WHEN k >= 1 AND k <= size(s) THEN try_element_at(s, CAST(k AS INT)) END;
