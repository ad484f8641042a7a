"""The library's own error classes. The CLI turns them into exit codes."""


class QAError(Exception):
    """Base class for every error the library raises on purpose."""


class ConfigError(QAError):
    """A usage or configuration problem: the run cannot start (exit code 2)."""


class InputError(QAError):
    """One input file cannot be read. The batch records it and goes on."""
