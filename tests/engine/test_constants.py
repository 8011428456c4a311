"""The engine's index constants agree with the registry they stand for."""

from borderflow.engine import constants as c
from borderflow.scenario import registry as r


def test_nationality_and_group_indices_follow_the_registry():
    assert c.MEXICO == r.NATIONALITIES.index("Mexico")
    assert (c.SA, c.FAMILY, c.UAC) == tuple(range(len(r.DEMOGRAPHICS)))
    assert len(r.DEMOGRAPHICS) == 3


def test_outcome_indices_follow_their_names():
    names = {"O_DEPART": "departures", "O_REDEPART": "redepartures", "O_GOTAWAY": "gotaways",
             "O_REPEAT": "repeat_encounters", "O_RESCUE": "rescues", "O_EXPEL": "expulsions",
             "O_REMOVE": "removals_us", "O_RELEASE_US": "releases_us", "O_MPP": "mpp_returns",
             "O_QUEUE": "port_queue_days", "O_DEFER": "border_deferrals",
             "O_SURRENDER": "surrenders", "O_DARIEN": "darien_crossings",
             "O_PAROLE_PORT": "port_paroles"}
    assert len(names) == len(c.OUTCOMES)
    for const, name in names.items():
        assert c.OUTCOMES[getattr(c, const)] == name


def test_every_agent_field_is_declared_once_and_moved_by_compact_and_reserve():
    """The agent fields are listed in ``state.Agents`` and ``state.AGENT_DTYPES``, and the
    compiled ``loop.compact`` and ``loop.reserve`` copy them one by one: a field added to
    one list and not the others would be silently dropped when agents are compacted or the
    arrays grow."""
    import ast
    import inspect

    from borderflow.engine import loop, state

    fields = list(state.Agents._fields)
    assert fields == list(state.AGENT_DTYPES)
    for fn in (loop.compact, loop.reserve):
        tree = ast.parse(inspect.getsource(fn.py_func))
        assigned = {t.attr for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    for t in node.targets
                    for t in ([t.value] if isinstance(t, ast.Subscript) else [t])
                    if isinstance(t, ast.Attribute)}
        assert set(fields) <= assigned, (fn.__name__, sorted(set(fields) - assigned))
