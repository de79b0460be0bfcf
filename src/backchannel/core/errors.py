"""One exception family: every error a user can cause names the file, the line and the reason."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BackchannelError", "Problem", "ScenarioError"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is and why."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by `check --json`."""
        return {"file": self.file, "line": self.line, "message": self.message}


class BackchannelError(Exception):
    """Bad input that the command line turns into a message on stderr and exit code 1.

    ``param`` names the argument of the Python function the message is about; such a
    message starts with that name (``at: cannot parse 'x' as a date``, ``events[0]: ...``),
    and the command line words it with its own option (``--at``, ``--event 1``).

    >>> str(BackchannelError("at: not a date", param="at")), BackchannelError("x").param
    ('at: not a date', None)
    """

    def __init__(self, message: str = "", param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


@dataclass
class ScenarioError(BackchannelError):
    """A scenario file that cannot be used, with every problem found in it."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
