"""Statistical models of customers' purchase histories: no database, no web, NumPy and SciPy only.

The "still alive" models (BG/NBD, Pareto/NBD) tell, from purchases alone, how likely a customer is
still a customer and how many purchases to expect from them.
"""

from goodwill.stats.bgnbd import (
    BGNBDModel,
    BGNBDParams,
    bg_nbd_log_likelihood,
    bg_nbd_log_likelihood_gradient,
)
from goodwill.stats.errors import ConvergenceError, InvalidSummaryError
from goodwill.stats.paretonbd import (
    ParetoNBDModel,
    ParetoNBDParams,
    pareto_nbd_log_likelihood,
    pareto_nbd_log_likelihood_gradient,
)
from goodwill.stats.summary import Summary, TimeUnit, check_summary, summary_from_transactions

__all__ = [
    "BGNBDModel",
    "BGNBDParams",
    "ConvergenceError",
    "InvalidSummaryError",
    "ParetoNBDModel",
    "ParetoNBDParams",
    "Summary",
    "TimeUnit",
    "bg_nbd_log_likelihood",
    "bg_nbd_log_likelihood_gradient",
    "check_summary",
    "pareto_nbd_log_likelihood",
    "pareto_nbd_log_likelihood_gradient",
    "summary_from_transactions",
]
