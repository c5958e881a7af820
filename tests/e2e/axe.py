"""axe-core in the browser: WCAG 2.2 AA on every page a journey visits, with only listed exceptions.

Each exception names one rule and one element (a CSS selector the failing element must match) on
named pages, and why we cannot fix it: docs/accessibility.md lists the same, with its reason. A
violation that no exception covers fails the test.
"""

from dataclasses import dataclass, field
from importlib.resources import files

# The rules axe-core tags as WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}, "resultTypes": ["violations"]}

# axe-core as axe-playwright-python bundles it (the package is used for nothing else).
AXE_SCRIPT = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")

# Runs axe on the whole document, then says for each failing element which exception, if any,
# covers it: one whose rule is the same and whose selector the element matches.
_RUN_AXE = """
async ([options, allowances]) => {
    const results = await axe.run(document, options);
    return {
        version: results.testEngine.version,
        nodes: results.violations.flatMap((violation) => violation.nodes.map((node) => {
            const element = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
            const allowance = allowances.find(
                (each) => each.rule === violation.id && element !== null && element.matches(each.selector)
            );
            return {
                rule: violation.id,
                impact: node.impact || violation.impact || "",
                help: violation.help,
                target: node.target.join(" "),
                html: node.html,
                failure: node.failureSummary || "",
                allowed_by: allowance ? allowance.selector : null,
            };
        })),
    };
}
"""


@dataclass(frozen=True)
class Allowance:
    """A violation we cannot fix in our own templates: `rule` on elements matching `selector`."""

    rule: str
    selector: str
    pages: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    target: str
    html: str
    failure: str
    allowed_by: str | None

    def describe(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help}\n    at {self.target}: {self.html[:300]}\n    {self.failure}"


@dataclass
class PageCheck:
    """What axe found on one page, over every visit to it in the run."""

    page: str
    visits: int = 0
    found: set[tuple[str, str]] = field(default_factory=set)
    allowed: set[tuple[str, str]] = field(default_factory=set)

    def record(self, violations: list[Violation]) -> None:
        self.visits += 1
        self.found |= {(each.rule, each.target) for each in violations}
        self.allowed |= {(each.rule, each.target) for each in violations if each.allowed_by}

    @property
    def allowed_rules(self) -> list[str]:
        return sorted({rule for rule, _ in self.allowed})


def page_allowances(allowances: list[Allowance], page: str) -> list[Allowance]:
    return [each for each in allowances if page in each.pages]


def axe_run(browser_page, *, allowances: list[Allowance]) -> tuple[str, list[Violation]]:
    """Run axe on what `browser_page` shows now; returns axe-core's version and every violation."""
    if not browser_page.evaluate("() => typeof window.axe !== 'undefined'"):
        browser_page.evaluate(AXE_SCRIPT)
    answer = browser_page.evaluate(
        _RUN_AXE, [AXE_OPTIONS, [{"rule": each.rule, "selector": each.selector} for each in allowances]]
    )
    return answer["version"], [Violation(**node) for node in answer["nodes"]]
