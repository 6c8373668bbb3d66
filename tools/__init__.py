"""Support code outside the wheel: the demo and rule-authoring helpers."""
