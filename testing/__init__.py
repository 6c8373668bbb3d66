"""Test and demo support outside the wheel: deterministic fake credentials, a local moto server."""
