"""Turn a run's counters into tidy tables that match the official statistics."""

from borderflow.observe.tables import (
    crossings_table,
    deaths_table,
    encounters_table,
    ledger_table,
    mexico_table,
    outcomes_table,
)

__all__ = ["crossings_table", "deaths_table", "encounters_table", "ledger_table", "mexico_table",
           "outcomes_table"]
