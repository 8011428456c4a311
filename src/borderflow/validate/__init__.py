"""Calibration, validation and forecasting against the official statistics.

Modules: :mod:`metrics` (MAPE, MASE, ARD of shares, interval coverage),
:mod:`baselines` (seasonal naive, last value, ETS, SARIMA), :mod:`objective`
(simulated vs observed targets), :mod:`calibrate` (optuna over any Executor),
:mod:`forecast` (ensemble forecasts with intervals), :mod:`backtest` (rolling
origins vs baselines), :mod:`report` (``borderflow validate``), :mod:`cli`.
"""
