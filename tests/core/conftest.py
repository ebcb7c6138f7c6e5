"""Fixtures of the core tests: cases registered through intake, as the complaints tests make them."""

from tests.complaints.conftest import institution, register  # noqa: F401
