"""The dashboard's lever panel, declared as data: one :class:`Control` per slider or toggle.

Each control maps one input to one lever of :data:`borderflow.scenario.registry.LEVERS`
and, for levers with keys, to a set of keys (states of a region, a nationality, a sector).
A control whose lever is not (yet) in the registry, or whose key space does not match
the lever's, is left out, so adding a lever to the panel is one line here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

from borderflow.errors import InputError
from borderflow.scenario import registry

MX_REGIONS: dict[str, tuple[str, ...]] = {
    "south": ("Chiapas", "Tabasco", "Oaxaca", "Veracruz", "Campeche", "Quintana Roo", "Yucatán"),
    "centre": ("Aguascalientes", "Colima", "Ciudad de México", "Durango", "Guanajuato",
               "Guerrero", "Hidalgo", "Jalisco", "Estado de México", "Michoacán", "Morelos",
               "Nayarit", "Puebla", "Querétaro", "San Luis Potosí", "Tlaxcala", "Zacatecas"),
    "north": ("Sonora", "Chihuahua", "Coahuila", "Nuevo León", "Tamaulipas", "Baja California",
              "Baja California Sur", "Sinaloa"),
}


def _slug(name: str) -> str:
    """An ASCII id from a place name: 'Ciudad Juárez' -> 'ciudad_juarez'."""

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() else "_" for ch in plain.lower()).strip("_")


@dataclass(frozen=True)
class Control:
    id: str
    label: str
    lever: str
    group: str
    kind: str = "slider"  # "slider" or "toggle" (0/1)
    keys: tuple[str, ...] | None = None  # None: the lever takes one value
    space: str = "none"  # key space the keys belong to
    min: float = 0.0
    max: float = 1.0
    step: float = 0.05
    help: str = ""


def _slider(id, label, lever, group, span, keys=None, space="none", help=""):  # noqa: A002
    """A slider over ``span`` = (low, high, step)."""
    lo, hi, step = span
    return Control(id, label, lever, group, "slider", keys, space, lo, hi, step, help)


def _toggle(id, label, lever, group, keys=None, space="none", help=""):  # noqa: A002
    return Control(id, label, lever, group, "toggle", keys, space, 0.0, 1.0, 1.0, help)


_MX = "Mexico"
_US = "United States"
_NAT = "nationality"
CONTROLS: tuple[Control, ...] = (
    *(_slider(f"mx_staff_{r}", f"Checkpoint staff, {r}", "mx_checkpoint_staff", _MX, (0, 5, 0.1),
              states, "mx_state", f"x January 2019 staff in {', '.join(states)}")
      for r, states in MX_REGIONS.items()),
    _slider("mx_detention_limit", "Detention limit (days)", "mx_detention_limit_days", _MX, (0, 90, 1)),
    _slider("mx_detention_capacity", "Detention places", "mx_detention_capacity", _MX, (0, 50000, 500)),
    *(_toggle(f"mx_flights_{n.lower()}", f"Repatriation flights: {n}", "mx_repatriation_flights",
              _MX, (n,), _NAT) for n in ("Venezuela", "Cuba", "Haiti", "Ecuador", "Colombia")),
    _slider("mx_flight_capacity", "Deportation flight seats a day", "mx_flight_capacity", _MX, (0, 3000, 50)),
    *(_toggle(f"mx_visa_{n.lower()}", f"Visa required: {n}", "mx_visa_required", _MX, (n,), _NAT)
      for n in ("Venezuela", "Ecuador", "Colombia", "Peru", "Cuba", "Haiti")),
    *(_slider(f"us_bp_{s.split(',')[0].lower().replace(' ', '_')}", f"Border Patrol posture, {s}",
              "us_bp_posture", _US, (0, 5, 0.1), (s,), "sector", "x apprehension odds")
      for s in registry.SECTORS),
    _slider("us_port_cap", "CBP One / ports: people a day", "us_port_daily_cap", _US, (0, 5000, 50)),
    _slider("us_release_rate", "Release rate (non-Mexicans)", "us_release_rate", _US, (0, 1, 0.05),
            tuple(n for n in registry.NATIONALITIES if n != "Mexico"), _NAT),
    _toggle("us_tariff_threat", "U.S. tariff threat on Mexico", "us_tariff_threat", _US),
    _toggle("us_cooperation", "U.S.-Mexico negotiated cooperation", "us_cooperation", _US),
    _slider("us_court_completions", "Immigration court completions a month",
            "us_court_completions", _US, (0, 100000, 1000)),
    *(_slider(f"us_parole_{n.lower()}", f"Parole a month: {n}", "us_parole_monthly_cap", _US,
              (0, 50000, 500), (n,), _NAT) for n in ("Venezuela", "Cuba", "Haiti", "Nicaragua")),
    *(_slider(f"mx_crackdown_{_slug(c)}", f"Crackdown: {c}",
              "mx_city_crackdown", _MX, (0, 1, 0.05), (c,), "border_city")
      for c in ("Tijuana", "Ciudad Juárez", "Reynosa", "Matamoros")),
    *(_slider(f"aid_{n.lower().replace(' ', '_')}", f"Development aid: {n} (USD/person/year)",
              "aid_per_capita", "Origins", (0, 200, 5), (n,), _NAT) for n in registry.NTCA),
)


def _lever_space(lever: str) -> str | None:
    e = registry.LEVERS.get(lever)
    return None if e is None else e.keys


def available_controls() -> list[Control]:
    """The declared controls whose lever exists in the registry with a matching key space."""
    out = []
    for c in CONTROLS:
        space = _lever_space(c.lever)
        if space is None or (c.keys is None) != (space == "none"):
            continue
        if c.keys is not None and space != c.space:
            continue
        allowed = _space_keys(space)
        if allowed is not None and any(k not in allowed for k in c.keys or ()):
            continue
        out.append(c)
    return out


def _space_keys(space: str) -> tuple[str, ...] | None:
    return {"nationality": registry.NATIONALITIES, "mx_state": registry.MX_STATES,
            "sector": registry.SECTORS,
            "border_city": getattr(registry, "BORDER_CITIES", None)}.get(space)


def _base_value(scenario, lever: str) -> float | dict[str, float]:
    """The scenario's setting of a lever (registry default if unset), keyed levers in full."""
    e = registry.LEVERS[lever]
    value = scenario.levers.get(lever, e.default)
    if e.keys == "none":
        return float(value)
    keys = _space_keys(e.keys) or ()
    full = dict(e.default) if isinstance(e.default, dict) else {k: float(e.default) for k in keys}
    full.update(value if isinstance(value, dict) else {k: float(value) for k in keys})
    return full


def control_value(scenario, c: Control) -> float:
    """The value a control shows for a scenario (mean over its keys)."""
    base = _base_value(scenario, c.lever)
    if c.keys is None:
        return float(base)
    vals = [float(base.get(k, 0.0)) for k in c.keys] if isinstance(base, dict) else [float(base)]
    return sum(vals) / len(vals)


def snap(c: Control, value: float) -> float:
    """The position a slider takes for ``value``: the nearest step of its grid, inside its
    range (what a browser's range input does when given a value between steps)."""
    if c.step <= 0:
        return float(value)
    k = round((float(value) - c.min) / c.step)
    return float(min(c.max, max(c.min, round(c.min + k * c.step, 10))))


def at_default(scenario, c: Control, value: float) -> bool:
    """True if ``value`` is the scenario's setting or the slider position nearest to it: a
    control that nobody moved sends its snapped default, and that must change nothing."""
    current = control_value(scenario, c)
    return abs(value - current) < 1e-9 or abs(value - snap(c, current)) < 1e-9


def describe(scenario) -> list[dict]:
    """The controls as JSON-ready dicts with the scenario's current values."""
    out = []
    for c in available_controls():
        d = asdict(c)
        d["keys"] = list(c.keys) if c.keys else None
        d["value"] = round(control_value(scenario, c), 6)
        d["position"] = snap(c, d["value"])  # where the slider shows it
        d["unit"] = registry.LEVERS[c.lever].unit
        d["doc"] = registry.LEVERS[c.lever].doc
        out.append(d)
    return out


def levers_from(scenario, values: dict[str, float]) -> dict[str, float | dict[str, float]]:
    """Lever settings for ``scenario.with_levers`` from ``{control id: value}``.

    Controls left at the scenario's value (or at the slider step nearest to it, where a
    slider shows an off-grid default) change nothing; unknown ids and values out of
    the control's range are an :class:`InputError` naming the control and what is allowed.
    """
    controls = {c.id: c for c in available_controls()}
    levers: dict[str, float | dict[str, float]] = {}
    for cid, raw in values.items():
        c = controls.get(cid)
        if c is None:
            raise InputError(f"unknown control '{cid}'", field=f"levers.{cid}",
                             expected="one of " + ", ".join(sorted(controls)))
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise InputError(f"{raw!r} is not a number", field=f"levers.{cid}",
                             expected=f"a number in [{c.min:g}, {c.max:g}]")
        v = float(raw)
        if not c.min <= v <= c.max or (c.kind == "toggle" and v not in (0.0, 1.0)):
            raise InputError(f"{v:g} is out of range", field=f"levers.{cid}",
                             expected="0 or 1" if c.kind == "toggle"
                             else f"a number in [{c.min:g}, {c.max:g}]")
        if at_default(scenario, c, v):
            continue
        if c.keys is None:
            levers[c.lever] = v
        else:
            cur = levers.get(c.lever)
            if not isinstance(cur, dict):
                cur = dict(_base_value(scenario, c.lever))
            cur.update({k: v for k in c.keys})
            levers[c.lever] = cur
    return levers
