"""borderflow: an agent-based model of migration through the Central America - Mexico - U.S. corridor."""

__version__ = "0.1.0"
