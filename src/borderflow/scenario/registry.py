"""Declarations of every lever and parameter the engine reads, with unit and source.

This module is pure data.  A scenario may override any entry by name; anything
else is rejected.  ``docs/model.md``'s parameter table is generated from here
(``python scripts/gen_param_table.py``).

Key spaces: ``none`` (one value), ``nationality`` (a value per citizenship in
:data:`NATIONALITIES`), ``mx_state`` (per Mexican state holding checkpoints),
``sector`` (per U.S. Border Patrol Southwest sector).
"""

from __future__ import annotations

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
KEY_SPACES = ("none", "nationality", "mx_state", "sector", "month", "demographic")

NTCA = ("Guatemala", "Honduras", "El Salvador")


@dataclass(frozen=True)
class Entry:
    name: str
    default: float | dict[str, float]
    unit: str
    source: str
    keys: str = "none"
    calibrated: bool = False
    bounds: tuple[float, float] = (0.0, float("inf"))
    doc: str = ""
    mechanism: str = ""


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
          mechanism="Mexican enforcement"),
    Entry("mx_detention_limit_days", 21.0, "calendar days",
          "Ley de Migracion art. 111: 15 working days (about 21 calendar days)", bounds=(0, 90),
          doc="Legal limit on immigration detention; past it the detainee is released with an exit order.",
          mechanism="Detention and deportation"),
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
    Entry("us_title42", _nat(0.0), "0/1", "CDC Title 42 orders; dates in the timeline", "nationality",
          bounds=(0, 1), doc="Whether Title 42 expulsion to Mexico applies to this nationality.",
          mechanism="U.S. border"),
    Entry("us_title42_family_share", 0.5, "share", "estimate: share of family units expelled while "
          "Title 42 applied (OHSS: a minority of families were expelled after 2021)", bounds=(0, 1),
          doc="Share of family-unit encounters expelled when Title 42 applies to their nationality.",
          mechanism="U.S. border"),
    Entry("us_title42_uac", 0.0, "0/1", "Title 42 applied to unaccompanied children until "
          "November 2020 (court order); timeline", bounds=(0, 1),
          doc="Whether unaccompanied children are expelled under Title 42.", mechanism="U.S. border"),
    Entry("us_release_rate", _nat(0.8, Mexico=0.05, Guatemala=0.45, Honduras=0.5,
                                  El_Salvador=0.5), "share",
          "estimate from OHSS enforcement lifecycle: most Mexicans are removed, most others released",
          "nationality", bounds=(0, 1),
          doc="Share of Title 8 encounters released into the U.S. (notice to appear or parole).",
          mechanism="U.S. border"),
    Entry("us_mpp_share", 0.0, "share", "Migrant Protection Protocols, 2019-01 to 2021-01 (timeline)",
          bounds=(0, 1), doc="Share of non-Mexican releases instead returned to a Mexican border "
          "city to wait for their hearing (Remain in Mexico).", mechanism="U.S. border"),
    Entry("us_bp_posture", 1.0, "x apprehension odds", "scenario lever", "sector", bounds=(0, 10),
          doc="Border Patrol posture by sector: multiplies the odds of apprehending an evader on "
          "urban crossings fully and on remote crossings by `remote_posture_share`.",
          mechanism="U.S. border"),
    Entry("us_port_daily_cap", 150.0, "people/day",
          "metering at ports before 2023; CBP One 1,000/day from 2023-05-12, 1,450 from "
          "2023-06-30 (CBP releases, timeline)", bounds=(0, 1e5),
          doc="People without documents processed a day at Southwest ports of entry.",
          mechanism="U.S. border"),
    Entry("origin_shock", _nat(1.0), "x departures", "dated shocks in the timeline", "nationality",
          bounds=(0, 100), doc="Multiplier on departures from an origin (pandemic, hurricanes, crises).",
          mechanism="Departures"),
]}


PARAMETERS: dict[str, Entry] = {e.name: e for e in [
    # departures
    Entry("base_departures", _nat(1500.0, Mexico=62000.0, Guatemala=29000.0, Honduras=27000.0,
                                  El_Salvador=10500.0, Nicaragua=3300.0, Venezuela=9000.0,
                                  Colombia=5200.0, Ecuador=4500.0, Cuba=4600.0, Haiti=1300.0,
                                  Peru=2300.0, India=1650.0, China=1000.0, Other=8800.0),
          "people/month", "estimate, set by hand so that each citizenship's 2019-01..2024-01 "
          "total is of the order of the OHSS encounters; fitted in calibration", "nationality",
          calibrated=True, doc="Departures a month at push = pull = shock = 1.",
          mechanism="Departures"),
    Entry("pull_elasticity", 2.5, "", "set by hand (2019 and 2020 falls); prior 0.5-3",
          calibrated=True,
          doc="Elasticity of departures to the expected chance of staying in the U.S.",
          mechanism="Departures"),
    Entry("evasion_floor", _nat(0.15, Mexico=0.8, Guatemala=0.45, Honduras=0.4, El_Salvador=0.4),
          "share", "estimate: weight of the evade-and-retry option for nationalities expelled to "
          "Mexico (Mexicans mostly evade; OHSS family status)", "nationality",
          doc="Value of the border to a nationality even when no one is released.",
          mechanism="Departures"),
    Entry("reference_release", 0.6, "share", "normalisation: pull = 1 at this release chance",
          doc="Expected release chance at which pull equals one.", mechanism="Departures"),
    Entry("perception_days", 45.0, "days", "estimate: information travels through networks in "
          "weeks (Massey et al. 1993 on migrant networks)",
          doc="Smoothing time of the perceived U.S. policy regime.", mechanism="Departures"),
    Entry("gdp_elasticity", 0.8, "", "lit.: Clemens 2014 'Does development reduce migration?' "
          "(emigration falls with income above about USD 7,000-10,000 PPP); calibrated",
          calibrated=True, doc="Elasticity of push to GDP per capita relative to 2019 (sign: "
          "push rises when income falls).", mechanism="Departures"),
    Entry("homicide_elasticity", 0.3, "", "lit.: Clemens 2017 (violence and UAC flows from the "
          "northern triangle); calibrated", calibrated=True,
          doc="Elasticity of push to the homicide rate relative to 2019.", mechanism="Departures"),
    Entry("darien_elasticity", 0.8, "", "calibrated; Panama Darien transits as the regional driver",
          calibrated=True, doc="Elasticity of Darien-entering departures to Darien transits "
          "relative to their 2019-2023 mean.", mechanism="Departures"),
    Entry("seasonality", {str(m): v for m, v in zip(range(1, 13), (
        0.80, 0.92, 1.10, 1.12, 1.15, 1.08, 1.00, 1.02, 1.00, 0.98, 0.95, 0.88))},
          "x departures", "estimate: USBP monthly pattern FY2000-FY2020 (spring peak, winter "
          "trough), CBP monthly series", "month",
          doc="Seasonal factor on departures by calendar month.", mechanism="Departures"),
    Entry("family_share", _nat(0.08, Mexico=0.05, Guatemala=0.35, Honduras=0.45, El_Salvador=0.35,
                               Venezuela=0.35, Colombia=0.35, Ecuador=0.4, Peru=0.4, Cuba=0.15,
                               Nicaragua=0.2, Haiti=0.4), "share",
          "estimate from OHSS family status by citizenship FY2019-FY2023", "nationality",
          doc="Share of departures travelling as family units.", mechanism="Departures"),
    Entry("uac_share", _nat(0.02, Mexico=0.06, Guatemala=0.12, Honduras=0.10, El_Salvador=0.10),
          "share", "estimate from OHSS unaccompanied children by citizenship", "nationality",
          doc="Share of departures that are unaccompanied children.", mechanism="Departures"),
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
          doc="Elasticity of non-Mexican departures to Mexico's checkpoint staffing as perceived.",
          mechanism="Mexican enforcement"),
    # route choice
    Entry("beta_days", 0.08, "1/day", "estimate; logit coefficient", doc="Disutility of travel time.",
          mechanism="Route choice"),
    Entry("beta_cost", 0.4, "1/USD 1000", "estimate; logit coefficient", doc="Disutility of cost.",
          mechanism="Route choice"),
    Entry("beta_checkpoint", 0.5, "1/expected interception", "estimate",
          doc="Disutility of the perceived chance of interception in Mexico.", mechanism="Route choice"),
    Entry("beta_hazard", 200.0, "1/death probability", "estimate",
          doc="Disutility of the death risk on the route.", mechanism="Route choice"),
    Entry("beta_apprehension", 1.5, "1/apprehension probability", "estimate",
          doc="Disutility of the U.S. apprehension probability of the final crossing.",
          mechanism="Route choice"),
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
    Entry("interception_per_checkpoint", 0.03, "probability", "estimate; fitted to UPM events in "
          "calibration", calibrated=True, doc="Chance that one checkpoint at January 2019 staffing "
          "intercepts a migrant travelling alone.", mechanism="Mexican enforcement"),
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
    # U.S. border
    Entry("apprehension_urban", 0.80, "probability", "lit.: IDA 2016 / DHS interdiction "
          "effectiveness 54-80%", doc="Chance of apprehending an evader on an urban crossing.",
          mechanism="U.S. border"),
    Entry("apprehension_remote", 0.55, "probability", "lit.: IDA 2016 lower bound 54%",
          doc="Chance of apprehending an evader on a remote crossing.", mechanism="U.S. border"),
    Entry("remote_posture_share", 0.3, "share", "estimate", doc="Share of a sector's posture "
          "change that reaches its remote crossings.", mechanism="U.S. border"),
    Entry("surrender_propensity", {"Single Adults": 0.5, "Family Unit Individuals": 0.95,
                                   "Unaccompanied Children": 0.98}, "share",
          "estimate: families and children seek out agents to claim asylum", "demographic",
          doc="Chance of surrendering when release is certain; scaled by the expected release.",
          mechanism="U.S. border"),
    Entry("retry_after_expulsion", 0.55, "probability", "lit.: Title 42 repeat-encounter rate "
          "about 27% a year (CBP), much higher within months for Mexicans (reference figures)",
          doc="Chance that an expelled migrant tries again.", mechanism="U.S. border"),
    Entry("retry_after_removal", 0.2, "probability", "estimate: Title 8 removal carries re-entry bars",
          doc="Chance that a Mexican removed under Title 8 tries again.", mechanism="U.S. border"),
    Entry("retry_wait_days", 10.0, "days", "estimate", doc="Mean wait in a border city before a "
          "new attempt.", mechanism="U.S. border"),
    Entry("border_wait_days", 6.0, "days", "estimate", doc="Mean wait in a border city before the "
          "first crossing.", mechanism="Route choice"),
    Entry("port_patience_days", 60.0, "days", "estimate: CBP One waits of weeks to months",
          doc="Days a migrant waits for a port appointment before crossing between ports.",
          mechanism="U.S. border"),
    Entry("redeparture_share", 0.35, "probability", "estimate: many deportees migrate again",
          doc="Chance that a deportee departs again.", mechanism="Departures"),
    Entry("redeparture_days", 60.0, "days", "estimate", doc="Mean time at home before departing again.",
          mechanism="Departures"),
    # mortality
    Entry("heat_amplitude", 1.5, "x hazard", "lit.: Sapkota et al. 2006, deaths peak in summer",
          doc="Extra hazard on foot and river segments at the July peak.", mechanism="Mortality"),
    Entry("hazard_scale", 0.25, "x hazard", "set by hand against IOM Missing Migrants counts on "
          "the U.S.-Mexico route (about 500-900 a year, 2019-2022); fitted in calibration",
          calibrated=True, doc="Multiplier on every edge's daily hazard.", mechanism="Mortality"),
    Entry("rescue_share", 0.35, "share", "estimate: CBP Southwest rescues (about 5,000-12,000 a "
          "year, reference figures) against recorded deaths (500-900)",
          doc="Share of people in mortal danger on a U.S. crossing who are rescued (and "
          "apprehended).", mechanism="Mortality"),
    Entry("missing_share", 0.25, "share", "estimate: IOM dead-and-missing counts vs recovered remains",
          doc="Share of deaths never recovered (counted as missing).", mechanism="Mortality"),
]}


def entry(name: str) -> Entry:
    if name in LEVERS:
        return LEVERS[name]
    return PARAMETERS[name]
