"""Demo data (``withus demo``, ``withus democode``): two organisations, their staff and members."""
