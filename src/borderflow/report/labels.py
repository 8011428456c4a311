"""The model's ids in words, for legends and tables (``transferred_south`` -> "transferred
to southern Mexico")."""

from __future__ import annotations

#: the Mexican measures of ``mexico.parquet`` (and outcomes) in words
MEASURE_NAMES = {
    "apprehended": "apprehended",
    "detained": "detained",
    "deported": "deported",
    "transferred_south": "transferred to southern Mexico",
    "released": "released",
}


def measure_name(measure: str) -> str:
    """A measure id in words (``transferred_south`` -> "transferred to southern Mexico");
    an unknown id with its underscores as spaces."""
    return MEASURE_NAMES.get(measure, str(measure).replace("_", " "))


#: forecast and backtest methods in words
METHOD_NAMES = {
    "model_corrected": "model (corrected median)",
    "model": "model (raw median)",
    "assimilated": "model (assimilated)",
    "ets": "ETS",
    "sarima": "SARIMA",
    "last_value": "last value",
    "seasonal_naive": "seasonal naive",
}


def method_name(method: str) -> str:
    """A forecast method id in words (``model_corrected`` -> "model (corrected median)")."""
    return METHOD_NAMES.get(method, str(method).replace("_", " "))
