"""What an import could not take, row by row, and what it did."""

import dataclasses
from collections import Counter


@dataclasses.dataclass(frozen=True)
class RowProblem:
    """Something in a row the import could not take.

    `part` is what was left out: "row" when the whole row was, or the part of it ("address",
    "accreditation", "UKPRN", …) when the rest was taken. `kind` groups like problems in the
    summary; `reason` says what exactly was wrong, for the person fixing the file.
    """

    file: str
    row: int
    part: str
    kind: str
    reason: str

    @property
    def row_taken(self) -> bool:
        return self.part != "row"

    def __str__(self):
        left_out = "row not taken" if not self.row_taken else f"{self.part} not taken"
        return f"{self.file} row {self.row}: {left_out}: {self.reason}"


@dataclasses.dataclass
class ImportReport:
    """Everything an import run did and could not do. Row numbers count the header as row 1."""

    problems: list[RowProblem] = dataclasses.field(default_factory=list)
    rows_read: Counter = dataclasses.field(default_factory=Counter)
    done: Counter = dataclasses.field(default_factory=Counter)
    notes: Counter = dataclasses.field(default_factory=Counter)

    def problem(self, file: str, row: int, part: str, kind: str, reason: str) -> None:
        self.problems.append(RowProblem(file, row, part, kind, reason))

    def rows_not_taken(self, file: str) -> list[RowProblem]:
        return [problem for problem in self.problems if problem.file == file and not problem.row_taken]

    def rows_partly_taken(self, file: str) -> set[int]:
        not_taken = {problem.row for problem in self.rows_not_taken(file)}
        return {p.row for p in self.problems if p.file == file and p.row_taken and p.row not in not_taken}

    def problem_lines(self) -> list[str]:
        files = list(self.rows_read)
        order = {file: position for position, file in enumerate(files)}
        return [str(p) for p in sorted(self.problems, key=lambda p: (order.get(p.file, len(files)), p.row, p.part))]

    def done_lines(self) -> list[str]:
        """What the import added and changed, and the gaps it noted."""
        return [f"{what}: {count}" for what, count in sorted({**self.done, **self.notes}.items())]

    def problem_summary_lines(self) -> list[str]:
        """For each file, how many rows were taken, in whole or in part, and counts of what was not, by reason."""
        lines = []
        for file, rows in self.rows_read.items():
            not_taken = {problem.row for problem in self.rows_not_taken(file)}
            lines.append(
                f"{file}: {rows} rows read, {rows - len(not_taken)} taken ({len(self.rows_partly_taken(file))} "
                f"of them in part), {len(not_taken)} not taken"
            )
            by_kind = Counter((p.part, p.kind) for p in self.problems if p.file == file)
            for (part, kind), count in sorted(by_kind.items(), key=lambda item: (item[0][0] != "row", item[0])):
                left_out = "row not taken" if part == "row" else f"{part} not taken"
                lines.append(f"  {left_out}, {kind}: {count}")
        return lines
