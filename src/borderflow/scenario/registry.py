"""Declarations of every lever and parameter the engine reads, with unit and source.

This module is pure data.  A scenario may override any entry by name; anything
else is rejected.  ``docs/model.md``'s parameter table is generated from here
(``python scripts/gen_param_table.py``).

Key spaces: ``none`` (one value), ``nationality`` (a value per citizenship in
:data:`NATIONALITIES`), ``mx_state`` (per Mexican state holding checkpoints),
``sector`` (per U.S. Border Patrol Southwest sector).

Each entry declares its uncertainty once: ``fit`` is the range calibration searches
(``borderflow.validate.calibrate.SPACE`` is derived from it), ``sweep`` the range
sensitivity analysis, exploration and the EMA adapter vary
(``borderflow.ensemble.factors.FACTORS``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NATIONALITIES: tuple[str, ...] = (
    "Mexico", "Guatemala", "Honduras", "El Salvador", "Nicaragua", "Venezuela", "Colombia",
    "Ecuador", "Cuba", "Haiti", "Peru", "India", "China, People's Republic", "Other",
)
DEMOGRAPHICS: tuple[str, ...] = ("Single Adults", "Family Unit Individuals", "Unaccompanied Children")
MX_STATES: tuple[str, ...] = (
    "Aguascalientes", "Baja California", "Baja California Sur", "Campeche", "Coahuila", "Colima",
    "Chiapas", "Chihuahua", "Ciudad de México", "Durango", "Guanajuato", "Guerrero", "Hidalgo",
    "Jalisco", "Estado de México", "Michoacán", "Morelos", "Nayarit", "Nuevo León", "Oaxaca",
    "Puebla", "Querétaro", "Quintana Roo", "San Luis Potosí", "Sinaloa", "Sonora", "Tabasco",
    "Tamaulipas", "Tlaxcala", "Veracruz", "Yucatán", "Zacatecas",
)  # INEGI state names (NOM_ENT)
SECTORS: tuple[str, ...] = (
    "San Diego, CA", "El Centro, CA", "Yuma, AZ", "Tucson, AZ", "El Paso, TX", "Big Bend, TX",
    "Del Rio, TX", "Laredo, TX", "Rio Grande Valley, TX",
)  # OHSS names of the U.S. Border Patrol Southwest sectors, west to east
BORDER_CITIES: tuple[str, ...] = (
    "Tijuana", "Tecate", "Mexicali", "San Luis Río Colorado", "Sonoyta", "El Sásabe", "Nogales",
    "Agua Prieta", "Puerto Palomas", "Ciudad Juárez", "Ojinaga", "Ciudad Acuña", "Piedras Negras",
    "Nuevo Laredo", "Reynosa", "Matamoros",
)  # Mexican border cities, as named in world/data/nodes.csv
#: Areas of the border for deaths, west to east: (name, westmost longitude); each band
#: reaches to the next one's start, inside the U.S.-Mexico box of the IOM records
#: (latitude 25-37, longitude -121 to -93), on either side of the line.
BORDER_AREAS: tuple[tuple[str, float], ...] = (
    ("California", -121.0), ("Arizona", -114.7), ("New Mexico and El Paso", -109.05),
    ("West Texas", -105.0), ("South Texas", -100.0))
BORDER_BOX = {"lat": (25.0, 37.0), "lon": (-121.0, -93.0)}
#: Nationality groups that share one latent push in data assimilation
#: (``validate.particles``); calibration fits a multiplier per nationality.
DEPARTURE_GROUPS: dict[str, tuple[str, ...]] = {
    "mexico": ("Mexico",),
    "north_central_america": ("Guatemala", "Honduras", "El Salvador"),
    "nicaragua_caribbean": ("Nicaragua", "Cuba", "Haiti"),
    "south_america": ("Venezuela", "Colombia", "Ecuador", "Peru"),
    "extra_continental": ("India", "China, People's Republic", "Other"),
}
KEY_SPACES = ("none", "nationality", "mx_state", "sector", "month", "demographic", "border_city",
              "border_area")
KEYS: dict[str, tuple[str, ...]] = {
    "none": ("",), "nationality": NATIONALITIES, "mx_state": MX_STATES, "sector": SECTORS,
    "demographic": DEMOGRAPHICS, "month": tuple(str(m) for m in range(1, 13)),
    "border_city": BORDER_CITIES, "border_area": tuple(n for n, _ in BORDER_AREAS),
}  # the keys of each key space, in array order

NTCA = ("Guatemala", "Honduras", "El Salvador")


#: Event classes whose members' magnitude is one fitted number each (``magnitude_<class>``):
#: class -> (lever, operation, prior, unit, bounds, fit range).  A timeline event of such
#: a class that states no value takes the fitted magnitude.
EVENT_MAGNITUDES: dict[str, tuple] = {
    "mx_staff_surge": ("mx_checkpoint_staff", "multiply", 2.0, "x staff", (1.0, 6.0),
                       (1.0, 6.0, True)),
    "mx_city_crackdown": ("mx_city_crackdown", "set", 0.5, "share", (0.0, 1.0),
                          (0.05, 1.0, False)),
    "mx_transfer_south": ("mx_transfer_south_share", "set", 0.4, "share", (0.0, 1.0),
                          (0.05, 1.0, False)),
    "us_asylum_restriction": ("us_release_rate", "multiply", 0.85, "share", (0.05, 1.0),
                              (0.1, 1.0, True)),
    "origin_crisis": ("origin_shock", "multiply", 1.3, "x departures", (1.0, 10.0),
                      (1.0, 5.0, True)),
    "us_cbp_removal": ("us_cbp_removal_share", "set", 0.0, "share", (0.0, 1.0),
                       (0.0, 1.0, False)),
}


#: Domain of an entry that declares no bounds of its own, by unit: every lever and
#: parameter has a finite domain (a scenario value, and a lever after the timeline's
#: ``multiply`` and ``add``, must lie in it).
UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "share": (0.0, 1.0), "probability": (0.0, 1.0), "share of push": (0.0, 1.0),
    "0/1": (0.0, 1.0),
    "": (0.0, 10.0),                      # elasticities
    "days": (0.0, 3650.0), "years": (0.0, 30.0),
    "x departures": (0.0, 100.0), "x hazard": (0.0, 100.0), "x staff": (0.0, 10.0),
    "x Mexican departures": (0.0, 10.0),
    "people/month": (0.0, 1e7), "cases": (0.0, 1e8), "cases/month": (0.0, 1e7),
    "USD/person/year": (0.0, 1e4),
    "utility": (0.0, 50.0), "1/day": (0.0, 10.0), "1/USD 1000": (0.0, 10.0),
    "1/expected interception": (0.0, 100.0), "1/death probability": (0.0, 1e4),
}


@dataclass(frozen=True)
class Entry:
    name: str
    default: float | dict[str, float]
    unit: str
    source: str
    keys: str = "none"
    calibrated: bool = False
    bounds: tuple[float, float] | None = None     # None: UNIT_BOUNDS[unit]
    doc: str = ""
    mechanism: str = ""
    #: (low, high, log scale): the range calibration searches (a uniform prior on it, in
    #: logs when ``log``); None: not fitted.  A keyed entry is fitted per key.
    fit: tuple[float, float, bool] | None = None
    #: (low, high): the range sensitivity analysis, exploration and the EMA adapter vary
    #: (a keyed entry as one multiplier on every key); None: not swept.
    sweep: tuple[float, float] | None = None
    sweep_why: str = ""

    def __post_init__(self) -> None:
        bounds = self.bounds if self.bounds is not None else UNIT_BOUNDS.get(self.unit)
        if bounds is None:
            raise ValueError(f"registry entry '{self.name}': no bounds and unit "
                             f"'{self.unit}' has none in UNIT_BOUNDS")
        lo, hi = float(bounds[0]), float(bounds[1])
        if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
            raise ValueError(f"registry entry '{self.name}': bounds {bounds} are not finite")
        vals = self.default.values() if isinstance(self.default, dict) else [self.default]
        if not all(lo <= v <= hi for v in vals):
            raise ValueError(f"registry entry '{self.name}': default outside {bounds}")
        object.__setattr__(self, "bounds", (lo, hi))


def _nat(default: float, **over: float) -> dict[str, float]:
    """A per-nationality table: ``default`` for all, with overrides (underscores = spaces)."""
    out = {n: default for n in NATIONALITIES}
    for k, v in over.items():
        name = "China, People's Republic" if k == "China" else k.replace("_", " ")
        if name not in out:
            raise KeyError(name)
        out[name] = v
    return out


LEVERS: dict[str, Entry] = {e.name: e for e in [
    Entry("mx_checkpoint_staff", 1.0, "x staff of January 2019",
          "scenario lever; timeline events from shared/data/events", "mx_state", bounds=(0, 10),
          doc="Staff at Mexican immigration checkpoints relative to January 2019, by state.",
          mechanism="Mexican enforcement",
          sweep=(0.5, 2.0),
          sweep_why="policy: half to double January-2019 checkpoint staffing, all states"),
    Entry("mx_detention_limit_days", 21.0, "calendar days",
          "Ley de Migracion art. 111: 15 working days (about 21 calendar days)", bounds=(0, 90),
          doc="Legal limit on immigration detention; past it the detainee is released with an exit order.",
          mechanism="Detention and deportation",
          sweep=(7.0, 60.0),
          sweep_why="policy: default 21 days; from a third of it to about three times"),
    Entry("mx_detention_capacity", 10000.0, "people",
          "estimate: INM ran 54 stations (2023); order of 10,000 places", bounds=(0, 1e6),
          doc="Places in Mexican immigration detention (whole country).",
          mechanism="Detention and deportation"),
    Entry("mx_bus_deportation", _nat(0.0, Guatemala=1.0, Honduras=1.0, El_Salvador=1.0),
          "0/1", "INM land returns to the northern Central American countries (reference figures)",
          "nationality", bounds=(0, 1),
          doc="Whether Mexico deports this nationality by bus over land.",
          mechanism="Detention and deportation"),
    Entry("mx_repatriation_flights", _nat(0.0, Cuba=1.0, Haiti=1.0, Colombia=1.0, Ecuador=1.0,
                                           Peru=1.0, India=1.0, China=0.0, Other=0.5),
          "0/1", "estimate: repatriation agreements by nationality; Venezuela from the timeline",
          "nationality", bounds=(0, 1),
          doc="Whether a repatriation agreement lets Mexico deport this nationality by air.",
          mechanism="Detention and deportation"),
    Entry("mx_flight_capacity", 300.0, "people/day",
          "estimate: a few charter flights a week across all nationalities", bounds=(0, 1e5),
          doc="Seats a day on Mexican deportation flights, all nationalities together.",
          mechanism="Detention and deportation"),
    Entry("mx_transfer_south_share", 0.15, "share",
          "estimate; raised by timeline events (2023-12 transfers to the south)", bounds=(0, 1),
          doc="Share of detainees who cannot be deported that are bused south instead of released.",
          mechanism="Detention and deportation"),
    Entry("mx_visa_required", _nat(0.0, Cuba=1.0, Haiti=1.0, India=1.0, China=1.0, Other=0.5),
          "0/1", "Mexican visa rules; changes by date in the timeline", "nationality", bounds=(0, 1),
          doc="Whether Mexico requires a visa of this nationality (closes the air route).",
          mechanism="Visa policy"),
    Entry("us_bp_agents", 16731.0, "agents", "CBP, U.S. Border Patrol staffing by fiscal year: "
          "16,731 agents in the Southwest border sectors in FY2019 (about the same through "
          "FY2023)", bounds=(0, 1e5),
          doc="Border Patrol agents on the Southwest border (the processing capacity).",
          mechanism="U.S. border"),
    Entry("us_removal_consequence", _nat(1.0), "x consequence", "scenario lever: 1 = Title 8 "
          "removal as applied in 2019 (expedited removal with a 5-year re-entry bar, INA "
          "212(a)(9)(A), and prosecution of some repeat crossers, 8 USC 1325/1326)",
          "nationality", bounds=(0, 10),
          doc="Consequence of being apprehended and removed under Title 8, relative to 2019 "
          "(2 = twice as costly: longer bars, prosecution of every repeat crosser).",
          mechanism="U.S. border"),
    Entry("us_title42", _nat(0.0), "0/1", "CDC Title 42 orders; dates in the timeline", "nationality",
          bounds=(0, 1), doc="Whether Title 42 expulsion to Mexico applies to this nationality.",
          mechanism="U.S. border"),
    Entry("us_title42_family_share", _nat(0.5), "share", "estimate: share of family units expelled "
          "while Title 42 applied (OHSS: a minority of families were expelled after 2021); by "
          "nationality, as Mexico's acceptance of expelled families differed (timeline)",
          "nationality", bounds=(0, 1),
          doc="Share of the nationality's family-unit encounters expelled when Title 42 applies "
              "to it.",
          mechanism="U.S. border"),
    Entry("us_title42_uac", 0.0, "share", "Title 42 applied to unaccompanied children until "
          "November 2020 (court order); timeline", bounds=(0, 1),
          doc="Share of unaccompanied children's encounters expelled when Title 42 applies to "
          "their nationality (1 until the November 2020 court order).",
          mechanism="U.S. border"),
    Entry("us_release_rate", _nat(0.3, Mexico=0.05), "share",
          "what law and policy release where ICE has a bed: most Mexicans "
          "are returned at once; others who pass a credible-fear screening may be released "
          "(estimate, counted; OHSS book-outs by outcome show 0.05 of Mexicans released)",
          "nationality", bounds=(0, 1),
          doc="Share of Title 8 encounters that policy releases into the U.S. (notice to "
          "appear or parole) even when ICE has a bed and a removal path for them; the rest "
          "are detained towards removal while beds (us_detention_beds) and removal flights "
          "(us_removal_flights) allow, and released when they do not (Mexicans are returned "
          "over land and need neither).",
          mechanism="U.S. border"),
    Entry("us_detention_beds", 24900.0, "beds", "ICE funded beds less the beds held by ICE's "
          "own (interior) arrests: FY2019 about 45,000 funded (appropriations, Pacific Standard) "
          "less 20,119 interior detainees a day (ICE detention statistics, FY2019 mean of "
          "the monthly ADP of ICE arrests); later fiscal years in the timeline",
          bounds=(0, 1e6),
          doc="ICE detention beds open to people arrested at the Southwest border.",
          mechanism="U.S. border"),
    Entry("us_cbp_removal_share", _nat(0.0), "share", "policy: before the Securing the "
          "Border rule (2024-06-05) expedited removal of border arrests other than Mexicans "
          "ran through ICE detention (OHSS book-outs: 0-3% of non-Mexican families "
          "repatriated from CBP custody until May 2024, 11-18% from June); the rule's "
          "magnitude is the fitted event class us_cbp_removal (timeline)",
          "nationality", bounds=(0, 1),
          doc="Share of the Title 8 encounters policy does not release who are removed "
          "from CBP custody by expedited removal: they need a removal flight "
          "(us_removal_flights) but no ICE bed, families included.",
          mechanism="U.S. border"),
    Entry("us_cbp_holding_capacity", 9000.0, "people", "Border Patrol holding capacity on "
          "the Southwest border: about 9,000 in 2019, when more than 12,000 were held; more "
          "than 28,000 were held in May 2023 (reported by justthenews.com citing the May 2023 "
          "USBP memo; RESEARCH.md)", bounds=(0.0, 1e6),
          doc="People Border Patrol custody holds on the Southwest border; past "
          "cbp_overflow_threshold times it, those policy does not release are released for "
          "want of room while us_cbp_overflow_release is 1.", mechanism="U.S. border"),
    Entry("us_cbp_overflow_release", 0.0, "0/1", "USBP memo of May 2023 (release without a "
          "court date past the custody thresholds; timeline); before it, custody past its "
          "capacity was held in overcrowded facilities (2019: more than 12,000 held against "
          "about 9,000)", bounds=(0, 1),
          doc="Whether Border Patrol releases for want of room when its custody passes "
          "cbp_overflow_threshold times us_cbp_holding_capacity.", mechanism="U.S. border"),
    Entry("us_family_beds", 3655.0, "beds", "ICE family residential centres: up to 3,655 "
          "parents and children (Dilley, Karnes, Berks; an ICE official to AP via KQED, "
          "2019-04-12); long-term family detention ended in March 2021 (timeline)",
          bounds=(0, 1e6),
          doc="ICE beds for family units (adults with their children); families ICE cannot "
          "hold are released.",
          mechanism="U.S. border"),
    Entry("us_detention_alos", 36.0, "days", "ICE detention statistics: median monthly "
          "average length of stay of CBP-arrested detainees, FY2019-FY2024 (37 in 2019, 23 "
          "in 2021, 28 in 2022, 36 in 2023, 45 in 2024)", bounds=(1, 1000),
          doc="Days a detainee holds a bed on average before removal or release.",
          mechanism="U.S. border"),
    Entry("us_removal_flights", _nat(100000.0, Venezuela=0.0, Cuba=100.0, Nicaragua=100.0,
                                     Haiti=500.0),
          "people/month", "removal flights by nationality (shared removal_flight_events): "
          "none to Venezuela from May 2019 to October 2023; Cuba occasional, halted from "
          "December 2020 to April 2023; Nicaragua and Haiti few (estimates); others by "
          "regular charters (not binding)", "nationality", bounds=(0, 1e6),
          doc="People of a nationality ICE can remove a month; those ICE holds beyond what "
          "these flights carry are released at the end of their stay.",
          mechanism="U.S. border"),
    Entry("us_mpp_share", 0.0, "share", "Migrant Protection Protocols, 2019-01 to 2021-01 (timeline)",
          bounds=(0, 1), doc="Share of non-Mexican releases instead returned to a Mexican border "
          "city to wait for their hearing (Remain in Mexico).", mechanism="U.S. border"),
    Entry("us_bp_posture", 1.0, "x apprehension odds", "scenario lever", "sector", bounds=(0, 10),
          doc="Border Patrol posture by sector: multiplies the odds of apprehending an evader on "
          "urban crossings fully and on remote crossings by `remote_posture_share`.",
          mechanism="U.S. border",
          sweep=(0.5, 2.0),
          sweep_why="policy: apprehension odds x0.5 to x2, all sectors"),
    Entry("us_port_daily_cap", 150.0, "people/day",
          "metering at ports before 2023; CBP One 1,000/day from 2023-05-12, 1,450 from "
          "2023-06-30 (CBP releases, timeline)", bounds=(0, 1e5),
          doc="People without documents processed a day at Southwest ports of entry.",
          mechanism="U.S. border"),
    Entry("mx_city_crackdown", 0.0, "intensity 0-1", "scenario lever (e.g. Tijuana police "
          "operations against migrants waiting to cross)", "border_city", bounds=(0, 1),
          doc="Crackdown on migrants in a Mexican border city: people waiting there are picked up "
          "(crackdown_pickup), its urban and port crossings lose appeal (beta_crackdown) and "
          "people are displaced to other cities or remote crossings.",
          mechanism="Stranding and waiting"),
    Entry("us_tariff_threat", 0.0, "0/1", "May-June 2019 tariff threat (timeline)", bounds=(0, 1),
          doc="U.S. pressure on Mexico by a tariff threat while 1.", mechanism="Diplomacy"),
    Entry("us_cooperation", 0.0, "0/1", "cooperation agreements (timeline)", bounds=(0, 1),
          doc="U.S. pressure on Mexico by negotiated cooperation while 1.", mechanism="Diplomacy"),
    Entry("us_return_mexico_cap", _nat(0.0), "people/month", "scenario lever; the "
          "historical scenario does not set it: Mexico's 2023-05-02 offer to accept up to "
          "30,000 Cuban, Haitian, Nicaraguan and Venezuelan returns a month was a ceiling "
          "the book-outs never show reached (0-10% of their encounters repatriated)",
          "nationality", bounds=(0, 1e6),
          doc="Non-Mexicans of a nationality Mexico accepts back from the U.S. border under "
          "Title 8, a month, shared by every nationality it is set for (the same value for "
          "each): those policy does not release are returned within it, needing no ICE bed "
          "or flight.", mechanism="U.S. border"),
    Entry("us_parole_monthly_cap", _nat(0.0), "people/month", "CHNV parole: 30,000 a month for "
          "Cuba, Haiti, Nicaragua and Venezuela together from 2023-01 (DHS; timeline)",
          "nationality", bounds=(0, 1e6),
          doc="Parole travel authorisations a month open to a nationality (air arrivals that "
          "replace border crossings).", mechanism="U.S. programmes"),
    Entry("us_court_completions", 23000.0, "cases/month", "EOIR total completions: 276,970 in "
          "FY2019, 231,659 in FY2020 (reference figures)", bounds=(0, 1e6),
          doc="Immigration court completions a month.", mechanism="Asylum backlog"),
    Entry("aid_per_capita", _nat(0.0), "USD/person/year", "scenario lever", "nationality",
          bounds=(0, 1e4), doc="Development aid to an origin, per inhabitant and year.",
          mechanism="Root causes and aid"),
    Entry("origin_shock", _nat(1.0), "x departures", "dated shocks in the timeline", "nationality",
          bounds=(0, 100), doc="Multiplier on departures from an origin (pandemic, hurricanes, crises).",
          mechanism="Departures"),
]}


PARAMETERS: dict[str, Entry] = {e.name: e for e in [
    # departures
    Entry("base_departures", _nat(1500.0, Mexico=73800.0, Guatemala=39200.0, Honduras=36500.0,
                                  El_Salvador=14200.0, Nicaragua=2170.0, Venezuela=6570.0,
                                  Colombia=3350.0, Ecuador=2700.0, Cuba=2950.0, Haiti=1110.0,
                                  Peru=1440.0, India=920.0, China=555.0, Other=5180.0),
          "people/month", "estimate, set by hand so that each citizenship's 2019-01..2024-01 "
          "total is of the order of the OHSS encounters; fitted in calibration", "nationality",
          calibrated=True, doc="Departures a month at push = pull = shock = 1.",
          mechanism="Departures"),
    Entry("pull_elasticity", 2.5, "", "set by hand (2019 and 2020 falls); fitted in calibration",
          calibrated=True,
          doc="Elasticity of departures to the expected chance of staying in the U.S.",
          mechanism="Departures",
          fit=(0.3, 6.0, True), sweep=(0.44, 1.76),
          sweep_why="calibrated, shipped 0.88; stated prior: about half to double it"),
    Entry("capacity_elasticity", 0.3, "", "calibrated; MODEL.md: gotaways rise when agents "
          "are tied up processing large numbers (CBP reported 600,000+ known gotaways in "
          "FY2022)", calibrated=True, bounds=(0.0, 3.0),
          doc="Odds of apprehending an evader x (reference load / load) ** this once the "
          "encounters per agent exceed `capacity_encounters_per_agent`.",
          mechanism="U.S. border", fit=(0.0, 3.0, False)),
    Entry("capacity_encounters_per_agent", 50.9, "encounters/agent/year", "FY2019: 851,508 "
          "USBP Southwest apprehensions (OHSS) / 16,731 agents (CBP staffing), the year "
          "processing was first reported overwhelmed", bounds=(1.0, 1000.0),
          doc="Encounters a year per agent above which processing ties agents up.",
          mechanism="U.S. border"),
    Entry("capacity_days", 30.0, "days", "estimate: processing backlogs build and clear over "
          "weeks (CBP custody reports)", doc="Smoothing time of the Border Patrol's load.",
          mechanism="U.S. border"),
    Entry("consequence_weight", 1.0, "", "calibrated; natural experiment in MODEL.md: Mexican "
          "encounters rose under Title 42 (expulsion, quick retry) and fell after 2023-05-11 "
          "(Title 8 removal with a re-entry bar)", calibrated=True, bounds=(0.0, 10.0),
          doc="Weight of the consequence of a Title 8 removal in the value of an attempt "
          "(engine.departures.attempt_value): value x exp(-this x apprehension chance x "
          "us_removal_consequence) for the share not under Title 42.",
          mechanism="Departures", fit=(0.0, 8.0, False)),
    Entry("seasonality_amplitude", 0.15, "x departures", "calibrated; USBP monthly pattern "
          "(spring peak, winter trough)", calibrated=True, bounds=(0.0, 0.6),
          doc="Amplitude of the seasonal factor on departures, 1 + this x cos(2 pi (month - "
          "peak) / 12).", mechanism="Departures", fit=(0.0, 0.4, False)),
    Entry("seasonality_peak_month", 5.0, "month", "calibrated; USBP monthly pattern peaks in "
          "spring", calibrated=True, bounds=(1.0, 12.0),
          doc="Calendar month (1-12, fractional) of the seasonal peak of departures.",
          mechanism="Departures", fit=(2.0, 8.0, False)),
    Entry("evasion_floor", _nat(0.15, Mexico=0.8, Guatemala=0.45, Honduras=0.4, El_Salvador=0.4),
          "share", "estimate: weight of the evade option in the value of an attempt (Mexicans "
          "mostly evade; OHSS family status)", "nationality",
          doc="Weight of evading (vs surrendering for release) in the value of an attempt.",
          mechanism="Departures"),
    Entry("reference_release", 0.6, "share", "normalisation: pull = 1 at this release chance",
          doc="Expected release chance at which pull equals one.", mechanism="Departures"),
    Entry("perception_days", 45.0, "days", "estimate: information travels through networks in "
          "weeks (Massey et al. 1993 on migrant networks)",
          doc="Smoothing time of the perceived U.S. policy regime.", mechanism="Departures"),
    Entry("gdp_elasticity", 0.8, "", "lit.: Clemens 2014 'Does development reduce migration?' "
          "(emigration falls with income above about USD 7,000-10,000 PPP); calibrated",
          calibrated=True, doc="Elasticity of push to GDP per capita relative to 2019 (sign: "
          "push rises when income falls).", mechanism="Departures",
          fit=(0.2, 2.0, True)),
    Entry("homicide_elasticity", 0.3, "", "lit.: Clemens 2017 (violence and UAC flows from the "
          "northern triangle); calibrated", calibrated=True,
          doc="Elasticity of push to the homicide rate relative to 2019.", mechanism="Departures",
          fit=(0.05, 1.0, True)),
    Entry("family_share", _nat(0.104, Guatemala=0.278, Honduras=0.431, El_Salvador=0.334,
                               Nicaragua=0.213, Venezuela=0.388, Colombia=0.47, Ecuador=0.464,
                               Cuba=0.243, Haiti=0.501, Peru=0.455, India=0.216, China=0.124,
                               Other=0.463), "share",
          "rule: the citizenship's share of family-unit individuals among its CBP Southwest "
          "border encounters (FY2020-FY2023, CBP/OHSS) in the months up to the run's drivers' "
          "cut, or USBP's pooled share of the year up to it "
          "(departures.family_status_shares); the default is the rule on every bundled month",
          "nationality",
          doc="Share of departures travelling as family units (derived at each run by its rule "
              "unless the scenario or the calibration sets it).", mechanism="Departures"),
    Entry("uac_share", _nat(0.04, Guatemala=0.227, Honduras=0.147, El_Salvador=0.162,
                            Nicaragua=0.022, Venezuela=0.009, Colombia=0.008, Ecuador=0.037,
                            Cuba=0.006, Haiti=0.004, Peru=0.008, India=0.024, China=0.003,
                            Other=0.008),
          "share", "rule: as family_share, for unaccompanied children "
          "(departures.family_status_shares)", "nationality",
          doc="Share of departures that are unaccompanied children (derived at each run by "
              "its rule unless the scenario or the calibration sets it).",
          mechanism="Departures"),
    Entry("population_elasticity", 0.0, "", "policy of the model: 1 draws departures from a "
          "population at risk, in proportion to it (MODEL.md mechanism 1); 0, the shipped "
          "value, holds every population at its mid-2019 level: with 1 and refitted, the "
          "model validated worse over the episodes and at 12 months and its 2025 forecast "
          "rose higher (docs/calibration.md, \"Tried: Venezuelans drawn from the population "
          "abroad\")", bounds=(0.0, 3.0),
          doc="Power of the population at risk of leaving (against mid-2019; for Venezuelans "
              "the Venezuelans in Latin America and the Caribbean, R4V) in departures.",
          mechanism="Departures"),
    Entry("family_status_min_encounters", 1000.0, "people", "statistical: a share of 1,000 "
          "encounters has a standard error of at most 1.6 points", bounds=(1.0, 1e7),
          doc="Fewest encounters of a citizenship, up to the cut, from which its own family "
              "and child shares are used (fewer: USBP's pooled shares).",
          mechanism="Departures"),
    Entry("air_share", _nat(0.0, Venezuela=0.6, Colombia=0.9, Ecuador=0.6, Peru=0.9, Cuba=0.0,
                            India=0.8, China=0.7, Other=0.5), "share",
          "estimate: visa-free nationals fly to Mexico City or Cancun", "nationality",
          doc="Share of a nationality arriving by air when Mexico requires no visa.",
          mechanism="Visa policy"),
    Entry("managua_share", _nat(0.0, Cuba=0.85, Haiti=0.3, Other=0.1), "share",
          "estimate: Nicaragua's visa-free entry for Cubans (Nov 2021) and charter flights",
          "nationality", doc="Share of non-air, non-Central-American departures starting in Managua "
          "rather than at the Darien.", mechanism="Visa policy"),
    Entry("mx_enforcement_elasticity", 0.6, "", "set by hand (the 2019 deployment and fall of "
          "encounters, natural experiment in MODEL.md); fitted in calibration", calibrated=True,
          bounds=(0.0, 0.6),
          doc="Elasticity of non-Mexican departures to Mexico's checkpoint staffing as perceived "
          "(below 1, so that more staff still means more apprehensions in Mexico).",
          mechanism="Mexican enforcement",
          fit=(0.1, 0.6, True)),
    Entry("tariff_gain", 1.2, "x staff", "set by hand: the June 2019 deployment roughly doubled "
          "southern staffing within weeks (defence ministry figures, timeline)",
          doc="Extra Mexican enforcement effort at the peak of a tariff threat's response.",
          mechanism="Diplomacy"),
    Entry("tariff_response_days", 10.0, "days", "estimate: troops deployed within two to three "
          "weeks of the 2019-05-30 threat", doc="Time constant of the response to a tariff "
          "threat.", mechanism="Diplomacy"),
    Entry("tariff_decay_days", 120.0, "days", "estimate: the 90-day review of the joint "
          "declaration", doc="Time constant of the fall of effort once the threat is over.",
          mechanism="Diplomacy"),
    Entry("tariff_cost", 0.05, "x Mexican departures", "estimate: tariffs of 5-25% on Mexican "
          "exports would cut output and jobs", doc="Rise of Mexican departures while a tariff "
          "threat stands.", mechanism="Diplomacy"),
    Entry("cooperation_gain", 0.6, "x staff", "estimate", doc="Extra Mexican enforcement effort "
          "reached under sustained cooperation.", mechanism="Diplomacy"),
    Entry("cooperation_response_days", 90.0, "days", "estimate: budgets and deployments take "
          "months", doc="Time constant of the response to cooperation.", mechanism="Diplomacy"),
    Entry("cooperation_fatigue_days", 540.0, "days", "estimate", doc="Time constant of the "
          "fatigue that erodes cooperation's effect while it lasts.", mechanism="Diplomacy"),
    Entry("mx_capacity_max", 3.0, "x staff", "estimate: National Guard and INM personnel limits",
          doc="Most Mexican checkpoint staffing, relative to January 2019, that U.S. pressure "
          "can bring about (staffing the scenario sets itself is not cut to it).",
          mechanism="Diplomacy"),
    Entry("parole_substitution", 0.7, "share", "estimate: most CHNV parolees would otherwise have "
          "crossed (the January 2023 fall, MODEL.md natural experiments)",
          doc="Border crossers each parole authorisation replaces.", mechanism="U.S. programmes"),
    Entry("aid_max_effect", 0.25, "share of push", "lit.: Lanati and Thiele 2018, aid lowers "
          "emigration modestly; Clemens and Postel 2018", doc="Largest cut of push that aid "
          "buys.", mechanism="Root causes and aid"),
    Entry("aid_half_saturation", 50.0, "USD/person/year", "estimate (diminishing returns)",
          doc="Aid at which half the largest effect is reached.", mechanism="Root causes and aid"),
    Entry("aid_lag_years", 3.0, "years", "lit.: Clemens and Postel 2018, effects take years",
          doc="Delay before aid changes push.", mechanism="Root causes and aid"),
    Entry("aid_hump", 0.0, "share of push", "lit.: Clemens 2014 migration hump (emigration rises "
          "with income below about USD 7,000-10,000 PPP); off by default",
          doc="Transient rise of push where income is low, before aid lowers it.",
          mechanism="Root causes and aid"),
    Entry("backlog_start", 796513.0, "cases", "EOIR pending cases at the end of FY2018 "
          "(reference figures); the run's calendar starts in September 2018",
          doc="Pending immigration court cases at the start.", mechanism="Asylum backlog"),
    Entry("backlog_filing_share", 0.55, "share", "set by hand so that pending cases pass near the "
          "EOIR end-of-FY2019 (1.09M) and FY2023 (2.46M) figures; many releases get a notice "
          "to report or parole rather than a court date at once", calibrated=True,
          doc="Share of people released at the border who enter the court backlog.",
          mechanism="Asylum backlog",
          fit=(0.35, 0.85, False)),
    Entry("backlog_other_receipts", 15000.0, "cases/month", "estimate: interior and affirmative "
          "referrals (EOIR initial receipts 316,106 in FY2018)",
          doc="Cases entering the backlog from elsewhere.", mechanism="Asylum backlog"),
    Entry("backlog_wait_elasticity", 0.15, "", "estimate; fitted in calibration", calibrated=True,
          doc="Elasticity of non-Mexican departures to the expected years of waiting in the "
          "backlog (relative to the start).", mechanism="Asylum backlog",
          fit=(0.03, 0.6, True)),
    Entry("crackdown_pickup", 0.02, "probability/day", "estimate: raids on shelters and "
          "hotels near the border (early-2024 surge, shared/data/events); not fitted",
          bounds=(0.0, 1.0),
          doc="Daily chance that a foreign migrant waiting in a city under full crackdown is "
          "picked up by Mexican authorities (Mexican nationals are not).",
          mechanism="Stranding and waiting"),
    Entry("beta_crackdown", 3.0, "utility", "estimate", doc="Disutility of a city's urban and "
          "port crossings at full crackdown.", mechanism="Stranding and waiting"),
    # route choice
    Entry("beta_days", 0.08, "1/day", "estimate; logit coefficient", doc="Disutility of travel time.",
          mechanism="Route choice"),
    Entry("beta_cost", 0.4, "1/USD 1000", "estimate; logit coefficient", doc="Disutility of cost.",
          mechanism="Route choice"),
    Entry("beta_checkpoint", 0.5, "1/expected interception", "estimate",
          doc="Disutility of the perceived chance of interception in Mexico.", mechanism="Route choice"),
    Entry("beta_hazard", 200.0, "1/death probability", "estimate",
          doc="Disutility of the death risk on the route.", mechanism="Route choice"),
    Entry("beta_apprehension", 1.5, "1/apprehension probability", "default: estimate; "
          "identified by the deaths per year and the sector shares (it sets how far evaders "
          "and asylum seekers choose different crossings)", calibrated=True,
          bounds=(0.0, 20.0),
          doc="Weight of the U.S. apprehension chance of the final crossing: a loss for an "
              "evader, a gain for an asylum seeker who means to surrender (1 at a port).",
          mechanism="Route choice",
          fit=(0.5, 12.0, True)),
    Entry("network_elasticity", 0.3, "", "lit.: Massey et al. 1993 and Munshi 2003 (migrant "
          "networks at destination raise emigration); strength calibrated", calibrated=True,
          bounds=(0.0, 0.9),
          doc="Departures x (recent arrivals in the U.S. of the citizenship / reference)^this "
              "(network momentum); 0 switches it off.",
          mechanism="Departures",
          fit=(0.0, 0.9, False)),
    Entry("network_clip", 10.0, "", "numerical safeguard: momentum stays at most this "
          "(set by hand at 10; 5 held flows that rose tenfold in 2019-2023); no floor, as "
          "a floor held young networks such as the Venezuelans' at it", bounds=(1.0, 50.0),
          doc="Largest factor of network momentum (there is no smallest).",
          mechanism="Departures"),
    Entry("network_start_months", 12, "months", "policy of the model: the year of USBP "
          "encounters before a run's first day (CBP/OHSS by citizenship) sets how mature each "
          "citizenship's network is then; 0 starts every network mature", bounds=(0, 120),
          doc="Months of encounters before the first day that set the network start "
              "(departures.network_start).",
          mechanism="Departures"),
    Entry("network_start_pseudocount", 5.0, "people/month", "half the rounding unit of "
          "CBP/OHSS's published monthly figures (tens), so that a citizenship published at "
          "zero is not held at zero", bounds=(0.0, 1000.0),
          doc="People a month added to every citizenship's encounters in the network start "
              "and to its recent arrivals throughout the run (the seed of network momentum: "
              "a network the run's draws leave empty can grow again, at every scale), and "
              "the outcomes a month at the regime's expected release that the release a "
              "citizenship sees counts beside its own (feedback.value_step).",
          mechanism="Departures"),
    Entry("network_memory_days", 365.0, "days", "prior: networks reflect about a year of "
          "arrivals (Massey et al. 1993 on cumulative causation); calibrated, as it sets how "
          "fast a young network grows", calibrated=True, bounds=(1.0, 3650.0),
          doc="Smoothing time of the arrivals that feed network momentum.",
          mechanism="Departures",
          fit=(90.0, 1460.0, True)),
    Entry("network_maturity_months", 0.0, "months", "how many months of a citizenship's "
          "base departures must have arrived (gotaways, releases, port paroles) before its "
          "network is mature (Massey et al. 1993 on cumulative causation: each arrival lowers "
          "the cost of the next); the network start (encounters of the year before the run, "
          "CBP/OHSS) sets where each begins; 0: every network mature from the start (the shipped "
          "value: not fitted)",
          bounds=(0.0, 240.0),
          doc="Arrivals, in months of base departures, that make a young network mature: "
              "departures x maturity, which grows with the citizenship's arrivals and never "
              "falls (feedback.network_step). Off (0) in the shipped calibration: fitted "
              "(2.38), it validated worse on the rolling origins (docs/calibration.md).",
          mechanism="Departures"),
    Entry("network_reference_success", 0.5, "share", "normalisation: momentum = 1 when this "
          "share of base departures arrives (gotaways and releases); the run starts there",
          bounds=(0.01, 1.0),
          doc="Arrivals per departure at which network momentum is 1.",
          mechanism="Departures"),
    Entry("sector_preference", {"San Diego, CA": -0.4, "El Centro, CA": -0.25, "Yuma, AZ": 1.1,
                                "Tucson, AZ": 0.05, "El Paso, TX": 0.65, "Big Bend, TX": -0.9,
                                "Del Rio, TX": 0.35, "Laredo, TX": -0.7,
                                "Rio Grande Valley, TX": 0.5}, "utility",
          "estimate, set by hand against the 2019-2024 OHSS sector totals; fitted in calibration "
          "(smuggler networks and family ties that the network does not describe)", "sector",
          calibrated=True, bounds=(-10, 10),
          doc="Alternative-specific constant of routes ending in each sector.",
          mechanism="Route choice"),
    Entry("smuggler_share", 0.8, "share", "lit.: Migrant Border Crossing Study, 75-95%",
          doc="Share of migrants led by smugglers.", mechanism="Route choice"),
    Entry("smuggler_info_lag", 7.0, "days", "estimate: smugglers track checkpoints closely",
          doc="Delay before smuggler-led groups know the current checkpoint staffing.",
          mechanism="Route choice"),
    Entry("independent_info_lag", 60.0, "days", "estimate: information diffusion by word of mouth",
          doc="Delay before migrants travelling alone learn the checkpoint staffing.",
          mechanism="Route choice"),
    # Mexican enforcement
    Entry("interception_per_checkpoint", 0.03, "probability", "calibrated: searched with "
          "Mexico's yearly apprehension events (UPM, 2019-2023) in the objective",
          calibrated=True, doc="Chance that one checkpoint at January 2019 staffing "
          "intercepts a migrant travelling alone.", mechanism="Mexican enforcement",
          fit=(0.01, 0.09, True), sweep=(0.012, 0.049),
          sweep_why="calibrated, shipped 0.024; stated prior: about half to double it"),
    Entry("detour_hazard", 0.05, "1/expected interception", "calibrated; MODEL.md: smugglers "
          "evade checkpoints and push migrants onto riskier desert routes (deaths in northern "
          "Mexico rose with the 2019 deployment, IOM)", calibrated=True, bounds=(0.0, 5.0),
          doc="Chance of dying on a smuggler's detour round the checkpoints, per unit of "
          "interception chance evaded (1 - exp(-this x evaded)).",
          mechanism="Mortality", fit=(0.0, 1.0, False)),
    Entry("smuggler_evasion", 0.5, "share", "estimate: hidden in trailers, bribes (MBCS)",
          doc="Reduction of per-checkpoint interception for smuggler-led groups.",
          mechanism="Mexican enforcement"),
    Entry("bus_processing_days", 6.0, "days", "estimate: INM land returns within a week",
          doc="Days between apprehension and a bus deportation.", mechanism="Detention and deportation"),
    Entry("flight_processing_days", 18.0, "days", "estimate: consular identification and a seat",
          doc="Days between apprehension and a deportation flight.",
          mechanism="Detention and deportation"),
    Entry("deport_share", 0.75, "share", "estimate: not every detainee who could be deported is "
          "(COMAR asylum claims, minors, amparos)", doc="Share of deportable detainees deported.",
          mechanism="Detention and deportation"),
    Entry("comar_share", 0.05, "share", "estimate: COMAR asylum claims by detainees",
          doc="Share of released detainees who claim asylum and settle in Mexico.",
          mechanism="Detention and deportation"),
    Entry("give_up_share", 0.2, "share", "estimate: detainees released with an exit order who "
          "return home instead of going on", doc="Share of released detainees who give up.",
          mechanism="Detention and deportation"),
    Entry("transfer_days", 3.0, "days", "estimate: the bus ride of about 1,000 miles south "
          "(event table, 2024-01-01)", bounds=(1.0, 30.0),
          doc="Days in custody of a detainee transferred south before release there (at most "
              "the detention limit).", mechanism="Detention and deportation"),
    Entry("transfer_restart_days", 30.0, "days", "calibrated: structural search over 1-90 days; "
          "default an estimate: migrants bused about 1,000 miles south (Villahermosa, Tapachula) "
          "must find money and a group again before moving north (event table, 2024-01-01)",
          bounds=(0, 365), calibrated=True,
          doc="Mean time a migrant transferred south stays there before choosing a new route north "
          "(0: at once).", mechanism="Detention and deportation",
          fit=(1.0, 90.0, True)),
    # U.S. border
    Entry("apprehension_urban", 0.80, "probability", "lit.: IDA 2016 / DHS interdiction "
          "effectiveness 54-80%", doc="Chance of apprehending an evader on an urban crossing.",
          mechanism="U.S. border"),
    Entry("apprehension_remote", 0.55, "probability", "lit.: IDA 2016 lower bound 54%",
          doc="Chance of apprehending an evader on a remote crossing.", mechanism="U.S. border",
          sweep=(0.35, 0.75),
          sweep_why="default 0.55; stated prior +-0.2 (not fitted to data)"),
    Entry("remote_posture_share", 0.3, "share", "estimate", doc="Share of a sector's posture "
          "change that reaches its remote crossings.", mechanism="U.S. border"),
    Entry("surrender_propensity", {"Single Adults": 0.5, "Family Unit Individuals": 0.95,
                                   "Unaccompanied Children": 0.98}, "share",
          "estimate: families and children seek out agents to claim asylum", "demographic",
          doc="Chance of surrendering when release is certain; scaled by the expected release.",
          mechanism="U.S. border"),
    Entry("retry_after_expulsion", 0.55, "probability", "calibrated on CBP's "
          "12-month re-encounter rates (FY2021 27%, monthly 19-30% in 2021-2023; reference "
          "figures); default: the FY2021 rate with Mexicans' higher rate within months",
          calibrated=True, bounds=(0.0, 1.0), fit=(0.3, 0.95, False),
          doc="Chance that an expelled migrant (or one returned under MPP) tries again.",
          mechanism="U.S. border",
          sweep=(0.52, 0.92),
          sweep_why="calibrated, shipped 0.72; stated prior +-0.2"),
    Entry("retry_after_removal", 0.2, "probability", "estimate: Title 8 removal carries re-entry bars",
          doc="Chance that a Mexican removed under Title 8 tries again.", mechanism="U.S. border"),
    Entry("retry_wait_days", 10.0, "days", "estimate", doc="Mean wait in a border city before a "
          "new attempt.", mechanism="U.S. border"),
    Entry("border_wait_days", 6.0, "days", "estimate", doc="Mean wait in a border city before the "
          "first crossing.", mechanism="Route choice"),
    Entry("border_response", 0.0, "", "natural experiments in MODEL.md: Cubans and Nicaraguans "
          "fell 85-90% in the month CHNV parole and expulsions began (Jan 2023), Venezuelans 80% "
          "within weeks of 2022-10-12, faster than any departure made after the announcement "
          "could reach the border; strength calibrated", bounds=(0.0, 8.0), calibrated=True,
          fit=(0.0, 8.0, False),
          doc="Response of migrants already at the border to a U.S. policy that worsens their "
          "chances after they set out: a crossing between ports goes ahead with chance "
          "min(1, value now / value perceived at departure) to this power, else the migrant "
          "holds back (value: engine.departures.attempt_value). 0: off.",
          mechanism="Stranding and waiting"),
    Entry("border_give_up", 0.1, "probability", "estimate: after the CHNV and Lawful Pathways "
          "rules many waited for CBP One or stayed in Mexico rather than cross later (a "
          "calibration with the response on put it at 0.11)", bounds=(0.0, 1.0),
          doc="Chance that a migrant who holds back at the border stays in Mexico for good "
          "(at each decision, about weekly); else it waits and decides again.",
          mechanism="Stranding and waiting"),
    Entry("border_perception_days", 7.0, "days", "estimate: news of a U.S. policy change reaches "
          "migrants in border cities within days (shelters, smugglers, social media)",
          doc="Smoothing time of the U.S. policy regime as seen from a border city.",
          mechanism="Stranding and waiting"),
    Entry("us_custody_days", 3.0, "days", "CBP National Standards on Transport, Escort, "
          "Detention and Search (TEDS, October 2015): detainees should generally not be held "
          "longer than 72 hours", bounds=(1.0, 30.0),
          doc="Days in Border Patrol custody before release, removal or deportation (Title 8).",
          mechanism="U.S. border"),
    Entry("cbp_overflow_threshold", 1.25, "x capacity", "USBP memo of May 2023: release "
          "without a court date when a sector's custody passes 125% of its capacity (reported "
          "by justthenews.com citing the memo; RESEARCH.md)", bounds=(0.0, 10.0),
          doc="Border Patrol custody (Title 8 encounters a day x us_custody_days) beyond this "
          "multiple of us_cbp_holding_capacity is released for want of room while "
          "us_cbp_overflow_release is 1.", mechanism="U.S. border"),
    Entry("mpp_wait_days", 120.0, "days", "estimate: Remain in Mexico hearings were set months "
          "ahead", bounds=(1.0, 720.0),
          doc="Mean wait in a Mexican border city of someone returned under MPP before a new "
              "attempt (with the retry chance after expulsion).", mechanism="U.S. border"),
    Entry("family_detention_days", 20.0, "days", "law: the Flores settlement as applied "
          "to accompanied children (Flores v. Lynch, 9th Cir. 2016) limits a family's "
          "detention to about 20 days",
          doc="Days a family holds a family bed on average before removal or release.",
          mechanism="U.S. border"),
    Entry("uac_release", 0.95, "probability", "TVPRA 2008: unaccompanied children from "
          "non-contiguous countries go to ORR shelters, and nearly all are released to "
          "sponsors (estimate of the share)",
          doc="Chance that a non-Mexican unaccompanied child is released into the U.S.",
          mechanism="U.S. border"),
    Entry("port_status", _nat(0.0, Cuba=1.0), "0/1", "law: under the Cuban Adjustment Act "
          "(1966) a Cuban inspected and paroled at a port of entry may adjust status after a "
          "year, while one released between ports on conditional parole (form I-220A) may "
          "not (BIA, Matter of Cabrera-Fernandez, 2023); no other nationality has such a "
          "status reachable only through a port", "nationality", bounds=(0, 1),
          doc="1 where parole at a port of entry opens a lawful status that release after a "
          "crossing between ports does not; its weight is port_status_weight.",
          mechanism="U.S. border"),
    Entry("port_status_weight", 0.0, "utility", "how much the status a port "
          "parole opens weighs against a crossing between ports (Cubans moved from between "
          "the ports to CBP One appointments from 2023: OHSS book-outs by citizenship)",
          bounds=(0.0, 10.0), calibrated=True, fit=(0.0, 8.0, False),
          doc="Utility of the status a port parole opens (port_status): in the border city "
          "the choice weight of a port crossing is multiplied by exp(utility), and the days "
          "the migrant waits in line for an appointment grow by utility / beta_days (the wait "
          "it is worth). 0: off.",
          mechanism="U.S. border"),
    Entry("port_gain_weight", 0.0, "utility", "off (0: the mechanism is not part of the "
          "shipped model); fitted with the citizenship shares of the OFO paroles (OHSS "
          "book-outs) as a target, the search set it to 0 (docs/calibration.md)",
          bounds=(0.0, 10.0),
          doc="Utility of a port parole's certain entry: weight x (1 - the value of a "
          "crossing between ports as seen in the border city), added to the status's "
          "(port_status_weight) in the port crossing's choice weight and in the days the "
          "migrant waits in line. 0: off.",
          mechanism="U.S. border"),
    Entry("port_patience_days", 60.0, "days", "estimate: CBP One waits of weeks to months",
          doc="Days a migrant waits for a port appointment before crossing between ports.",
          mechanism="U.S. border"),
    Entry("redeparture_share", 0.35, "probability", "estimate: many deportees migrate again",
          doc="Chance that a deportee departs again.", mechanism="Departures"),
    Entry("redeparture_days", 60.0, "days", "estimate", doc="Mean time at home before departing again.",
          mechanism="Departures"),
    Entry("base_fee", {"San Diego, CA": 8000.0, "El Centro, CA": 7000.0, "Yuma, AZ": 6000.0,
                       "Tucson, AZ": 6000.0, "El Paso, TX": 6500.0, "Big Bend, TX": 5000.0,
                       "Del Rio, TX": 6000.0, "Laredo, TX": 6500.0, "Rio Grande Valley, TX": 7000.0},
          "USD", "lit.: border-crossing fees USD 2,500 (2010-12 median) to 9,000+ (2017); "
          "reference figures (EMIF Norte 2022, El Paso sector 2019)", "sector", bounds=(0, 1e5),
          doc="Smuggling fee for the border crossing at January 2019 enforcement.",
          mechanism="Smuggling market"),
    Entry("fee_elasticity", 0.2, "", "lit.: Gathmann 2008, enforcement x3 raises fees 17-30% "
          "(elasticity about 0.15-0.25)", doc="Elasticity of fees to enforcement.",
          mechanism="Smuggling market"),
    Entry("abandonment_share", 0.12, "share", "lit.: Migrant Border Crossing Study, 12% of "
          "smuggled groups abandoned", doc="Share of smuggler-led groups abandoned on a remote "
          "crossing.", mechanism="Smuggling market"),
    Entry("abandonment_hazard", 4.0, "x hazard", "estimate: 39% ran out of water (MBCS)",
          doc="Hazard multiplier for an abandoned group.", mechanism="Smuggling market"),
    # mortality
    Entry("heat_amplitude", 1.5, "x hazard", "lit.: Sapkota et al. 2006, deaths peak in summer",
          doc="Extra hazard on foot and river segments at the July peak.", mechanism="Mortality"),
    Entry("hazard_scale", 0.25, "x hazard", "set by hand against IOM Missing Migrants counts on "
          "the U.S.-Mexico route (about 500-900 a year, 2019-2022); fitted in calibration",
          calibrated=True, doc="Multiplier on every edge's daily hazard.", mechanism="Mortality",
          fit=(0.08, 0.8, True), sweep=(0.06, 0.23),
          sweep_why="calibrated, shipped 0.11; stated prior: about half to double it"),
    Entry("hazard_by_area", {n: 1.0 for n, _ in BORDER_AREAS}, "x hazard",
          "1 in every area (not fitted: route choice and the network's per-segment hazard "
          "carry the differences between areas)", "border_area", bounds=(0.05, 20.0),
          doc="Multiplier on the daily hazard of the segments in each area of the border "
              "(segment midpoint): what the network's per-segment estimates miss (terrain, "
              "heat, distance from rescue).  Mortality only: route choice weighs the "
              "network's hazard, as migrants know it.", mechanism="Mortality"),
    Entry("rescue_share", 0.35, "share", "estimate: CBP Southwest rescues (about 5,000-12,000 a "
          "year, reference figures) against recorded deaths (500-900)",
          doc="Share of people in mortal danger on a U.S. crossing who are rescued (and "
          "apprehended).", mechanism="Mortality"),
    Entry("missing_share", 0.25, "share", "estimate: IOM dead-and-missing counts vs recovered remains",
          doc="Share of deaths never recovered (counted as missing).", mechanism="Mortality"),
    *[Entry(f"magnitude_{cls}", prior, unit, "fitted: one magnitude for every member of the "
            f"event class {cls} ({lever}, {op}); prior {prior:g}, "
            + ("the earlier hand-set value of its first member" if prior else
               "no effect (the class never had a hand-set value)")
            + ".  A fit sees only the members dated before its last month "
            "(validate.origin.honest_events makes later members neutral)",
            calibrated=True, bounds=bounds,
            doc=f"Magnitude of every timeline event of class {cls} that states no value "
                f"({lever}, {op}).",
            mechanism="Timeline", fit=fit)
      for cls, (lever, op, prior, unit, bounds, fit) in EVENT_MAGNITUDES.items()],
]}


#: Numbers calibration fits that the engine does not read (nor a scenario set):
#: calibration bakes them into a parameter.
FIT_ONLY: dict[str, Entry] = {e.name: e for e in [
    Entry("departures_scale", {n: 1.0 for n in NATIONALITIES}, "x departures",
          "baked into base_departures by calibration (each nationality x its own value: "
          "the registry's base_departures are hand-set starting points, so no ratio "
          "between nationalities is read off the outcome series)",
          "nationality", calibrated=True,
          doc="Multiplier on a nationality's base departures.",
          mechanism="Departures", fit=(0.25, 4.0, True)),
]}


def entry(name: str) -> Entry:
    if name in LEVERS:
        return LEVERS[name]
    if name in FIT_ONLY:
        return FIT_ONLY[name]
    return PARAMETERS[name]


def fitted_entries() -> list[Entry]:
    """The entries calibration searches (``fit`` set), in registry order."""
    return [e for e in [*PARAMETERS.values(), *FIT_ONLY.values()] if e.fit is not None]


def departure_scales(base_departures: dict[str, float]) -> dict[str, float]:
    """``departures_scale`` by nationality, recovered from the ``base_departures``
    calibration baked it into (to 6 significant digits)."""
    dflt = PARAMETERS["base_departures"].default
    return {n: float(f"{base_departures[n] / dflt[n]:.6g}") for n in NATIONALITIES}


def fitted_numbers(params: dict, sector_shift: dict[str, float] | None = None
                   ) -> dict[str, float]:
    """Every fitted number by name (``name``, or ``name[key]`` for a keyed entry), read
    from a full calibrated parameter dict (as calibrate's ``full_parameters`` gives).
    ``departures_scale[group]`` is read from ``params`` if there, else recovered from
    ``base_departures`` (to its 6 significant digits).  With ``sector_shift`` (the sector
    step ran), also the free sector constants ``sector_preference[sector]`` (all but the
    reference, the first sector)."""
    out: dict[str, float] = {}
    for e in fitted_entries():
        if e.name == "departures_scale" and e.name not in params:
            out.update({f"{e.name}[{g}]": v
                        for g, v in departure_scales(params["base_departures"]).items()})
        elif e.keys == "none":
            out[e.name] = float(params[e.name])
        else:
            out.update({f"{e.name}[{k}]": float(params[e.name][k]) for k in KEYS[e.keys]})
    if sector_shift is not None:
        out.update({f"sector_preference[{s}]": float(params["sector_preference"][s])
                    for s in SECTORS[1:]})
    return out
