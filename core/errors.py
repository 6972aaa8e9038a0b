"""Errors are values with a class; each carries a message a user can act on. The exit codes of the contract live
here too, next to the errors they stand for."""

from __future__ import annotations

EXIT_OK = 0  # the run finished, whatever the POs' statuses
EXIT_USAGE = 2  # bad arguments, unreadable input, an output folder that cannot be written
EXIT_SIGN_IN = 3  # signing in needs a person (headless) or failed
EXIT_BROWSER = 4  # the browser or its driver could not start
EXIT_UNREACHABLE = 5  # the portal (or its sign-in service) cannot be reached: DNS, refused, TLS, proxy
EXIT_CANCELLED = 130  # stopped by the user; the report is still written


class CoupaDownloadsError(Exception):
    """Base class: `str(error)` is a sentence a user can act on."""


class InputError(CoupaDownloadsError):
    """The spreadsheet or an argument cannot be used (CLI exit code 2)."""


class OutputError(CoupaDownloadsError):
    """The run folder cannot be written (full disk, permissions); CLI exit code 2. Finished work stays journaled."""


class SignInRequired(CoupaDownloadsError):
    """The portal needs a person to sign in, and nobody can (headless); CLI exit code 3."""


class BrowserStartError(CoupaDownloadsError):
    """The browser or its driver could not start; the message says which and how to fix it (exit code 4)."""


class PortalUnreachable(CoupaDownloadsError):
    """The browser cannot reach the portal or its sign-in service; the message names the host and the cause (exit 5).

    Never a sign-in problem: a person signing in would not help.
    """

    def __init__(self, host: str, cause: str) -> None:
        super().__init__(
            f"Cannot reach {host}: {cause}. Check the portal address, the network connection (VPN) and the proxy "
            "settings; the same address should open in your browser."
        )
        self.host = host
        self.cause = cause


class SessionExpired(CoupaDownloadsError):
    """The portal sent us to a login/SSO page: sign in again and retry, never 'not found'."""


class BrowserCrashed(CoupaDownloadsError):
    """The browser or its driver died or stopped answering; the worker must restart it."""


class IncompletePage(CoupaDownloadsError):
    """A page's own data requests (its comments) kept failing: its attachment list cannot be trusted."""


class PageTimeout(CoupaDownloadsError):
    """A page did not load in time (transient: retried)."""


class DownloadFailed(CoupaDownloadsError):
    """A file could not be downloaded; `retryable` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool, needs_browser: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.needs_browser = needs_browser


class Cancelled(CoupaDownloadsError):
    """The user stopped the run."""
