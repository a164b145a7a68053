"""The two kinds of refusal every domain raises, defined once (no Flask, no database).

A domain names its own subclass (`planning.PlanningError`, `clock.ClockError`, ...) so a
view catches only what the call it makes can refuse; the behaviour lives here.
"""


class InvalidInput(ValueError):
    """Bad input: `errors` maps a form field to its message, shown beside that field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))  # the fields; messages stay lazy
        self.errors = errors


class Refused(ValueError):
    """An action refused; `code` is stable, for the web layer's message and for tests."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code
