"""sec-kg: a linked-open-data knowledge graph of how the States of the Americas
address the sexual exploitation of children and adolescents (IIN-OAS report, 2024)."""

__version__ = "0.1.0"
