"""Turn a run's counters into tidy tables that match the official statistics."""

from borderflow.observe.tables import (
    backlog_table,
    crossings_table,
    deaths_table,
    encounters_table,
    fees_table,
    ledger_table,
    mexico_table,
    outcomes_table,
    waiting_table,
)

__all__ = ["backlog_table", "fees_table", "waiting_table", "crossings_table",
           "deaths_table", "encounters_table", "ledger_table", "mexico_table",
           "outcomes_table"]
