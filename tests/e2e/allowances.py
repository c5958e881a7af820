"""Violations axe finds in unfold's own markup that our templates cannot fix: see docs/accessibility.md."""

from tests.e2e.axe import Allowance

ALLOWANCES: list[Allowance] = []
