"""One screen per step of ``assess take`` and ``assess review``."""
