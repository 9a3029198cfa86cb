"""Located diagnostics: every message a user sees about an input names its place; and
Stopped, the one way a build ends early (SIGINT or SIGTERM)."""

from __future__ import annotations

from .records import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """One error or warning about a file, at a line and column, with its document path."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Render as `FILE:LINE:COL: severity: path: message`, the form editors jump to."""
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {where}{self.message}"

    def as_dict(self) -> dict:
        """Plain data for `--json` output and manifests."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
        }


class BriefError(Exception):
    """A user-caused failure that carries located diagnostics instead of a traceback."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def single(cls, file: str, message: str, line: int = 1, column: int = 1) -> "BriefError":
        """A failure with one diagnostic, for problems that are not about a YAML node."""
        return cls([Diagnostic(file, line, column, message)])


class Stopped(KeyboardInterrupt):
    """A build stopped by SIGINT or SIGTERM: `results` of the outputs finished before the
    stop (kept on disk) and the jobs `not_built`. A KeyboardInterrupt, so code that handles
    Ctrl-C handles it too."""

    def __init__(self, signum: int, results: list | None = None,
                 not_built: list | None = None):
        import signal

        self.signum = int(signum)
        self.name = signal.Signals(self.signum).name
        self.results = list(results or [])
        self.not_built = list(not_built or [])
        super().__init__(f"stopped by {self.name}")

    def __reduce__(self):
        return Stopped, (self.signum, self.results, self.not_built)
