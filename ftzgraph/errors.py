"""The one exception type the CLI turns into a one-line message and an exit code."""


class FtzError(Exception):
    """A failure the user can act on. exit_code 2 is a usage error, 1 a failure."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


class UsageError(FtzError):
    def __init__(self, message: str):
        super().__init__(message, exit_code=2)
