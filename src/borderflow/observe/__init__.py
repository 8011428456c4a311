"""Turn a run's counters into one labelled dataset, and the tidy tables that match the
official statistics derived from it."""

from borderflow.observe.dataset import COMPONENTS, reported_months, run_dataset
from borderflow.observe.tables import (
    TABLES,
    backlog_table,
    crossings_table,
    deaths_table,
    encounters_table,
    fees_table,
    ledger_table,
    mexico_table,
    outcomes_table,
    tidy,
    waiting_table,
)

__all__ = ["COMPONENTS", "TABLES", "backlog_table", "fees_table", "waiting_table",
           "crossings_table", "deaths_table", "encounters_table", "ledger_table",
           "mexico_table", "outcomes_table", "reported_months", "run_dataset", "tidy"]
