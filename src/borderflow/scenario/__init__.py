"""Scenarios: pure data describing levers, parameters, drivers and a dated timeline."""

from borderflow.scenario.load import bundled_scenarios, load_scenario, parse_scenario, scenario_hash
from borderflow.scenario.model import Scenario

__all__ = ["Scenario", "bundled_scenarios", "load_scenario", "parse_scenario", "scenario_hash"]
