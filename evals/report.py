"""The modality-switching table (the paper's Table 3) from prediction rows, and its
renderings: ``summary.json``, a rich table, a Markdown report and a PNG chart.

A prediction row is one turn: ``{"id", "round" (1-based), "scenario", "expected",
"predicted", ...}``. Accuracy of round *i* and scenario *j* is the share of its turns whose
``predicted`` equals ``expected`` (paper Eq. 1). ``avg`` is the unweighted mean of the
non-empty cells (the paper's *Avg*), ``turn_mean`` the mean over all turns. Empty cells
show ``n=0`` and stay out of ``avg``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .dataset import SCENARIOS

ROUNDS_SHOWN = (1, 2, 3)  # DialogBen has three rounds; longer sets add rows


@dataclass
class Cell:
    correct: int = 0
    n: int = 0

    @property
    def acc(self) -> Optional[float]:
        """Accuracy in percent, ``None`` when the cell is empty."""
        return 100.0 * self.correct / self.n if self.n else None


@dataclass
class ModalityTable:
    """Counts per round x scenario."""

    cells: dict[int, dict[str, Cell]] = field(default_factory=dict)

    @classmethod
    def from_predictions(cls, predictions: Iterable[dict[str, Any]]) -> "ModalityTable":
        table = cls({r: {s: Cell() for s in SCENARIOS} for r in ROUNDS_SHOWN})
        for pred in predictions:
            row = table.cells.setdefault(int(pred["round"]), {s: Cell() for s in SCENARIOS})
            cell = row[pred["scenario"]]
            cell.n += 1
            cell.correct += int(pred.get("predicted") == pred["expected"])
        return table

    @property
    def rounds(self) -> list[int]:
        return sorted(self.cells)

    def nonempty(self) -> list[Cell]:
        return [c for r in self.rounds for c in self.cells[r].values() if c.n]

    @property
    def avg(self) -> Optional[float]:
        """The paper's Avg: unweighted mean of the non-empty cells' accuracies (%)."""
        accs = [c.acc for c in self.nonempty()]
        return sum(accs) / len(accs) if accs else None  # type: ignore[arg-type]

    @property
    def n_turns(self) -> int:
        return sum(c.n for c in self.nonempty())

    @property
    def turn_mean(self) -> Optional[float]:
        """Accuracy over all turns (%)."""
        n = self.n_turns
        return 100.0 * sum(c.correct for c in self.nonempty()) / n if n else None

    def scenario_totals(self) -> dict[str, Cell]:
        """Per scenario over all rounds."""
        out = {s: Cell() for s in SCENARIOS}
        for r in self.rounds:
            for s, c in self.cells[r].items():
                out[s].correct += c.correct
                out[s].n += c.n
        return out


def _r(x: Optional[float]) -> Optional[float]:
    return round(x, 2) if x is not None else None


def summary_dict(table: ModalityTable, consistency: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """``summary.json``: ``{"avg", "turn_mean", "n_turns", "cells", "consistency"}``; cells
    keyed by round (string) then scenario, each ``{"acc": pct or null, "n": int}``."""
    return {
        "avg": _r(table.avg),
        "turn_mean": _r(table.turn_mean),
        "n_turns": table.n_turns,
        "cells": {str(r): {s: {"acc": _r(c.acc), "n": c.n} for s, c in table.cells[r].items()} for r in table.rounds},
        "consistency": consistency if consistency is not None else {},
    }


def _fmt(cell: Cell) -> str:
    return f"{cell.acc:.2f} (n={cell.n})" if cell.n else "– (n=0)"


def _fmt_pct(x: Optional[float]) -> str:
    return f"{x:.2f}" if x is not None else "–"


def rich_table(table: ModalityTable, title: str = "Modality switching accuracy (%)"):
    """The table as a :class:`rich.table.Table` (rows = rounds, columns = scenarios)."""
    from rich.table import Table

    t = Table(title=title, show_footer=False)
    t.add_column("Round", justify="right")
    for s in SCENARIOS:
        t.add_column(s, justify="right")
    for r in table.rounds:
        t.add_row(str(r), *(_fmt(table.cells[r][s]) for s in SCENARIOS))
    totals = table.scenario_totals()
    t.add_row("all", *(_fmt(totals[s]) for s in SCENARIOS), style="dim")
    t.caption = f"Avg (unweighted cell mean) {_fmt_pct(table.avg)}  ·  turn mean {_fmt_pct(table.turn_mean)}  ·  {table.n_turns} turns"
    return t


def consistency_lines(block: dict[str, Any]) -> list[str]:
    """Human-readable lines for the consistency block."""
    if not block or not block.get("n_edits"):
        return ["No edit turns (image turns after an earlier prompt in the same thread)."]
    basis = block.get("basis", {})
    return [
        f"Edit turns scored: {block['n_edits']} (requested parts from reference prompts: {basis.get('reference', 0)}, from the request's words: {basis.get('request', 0)})",
        f"Untouched parts kept identical: {_fmt_pct(block.get('kept_pct'))} %",
        f"Requested change landed: {_fmt_pct(block.get('landed_pct'))} %",
        f"Word edit distance between consecutive prompts: mean {block.get('word_distance_mean')}, median {block.get('word_distance_median')}",
    ]


def critic_stats(predictions: Iterable[dict[str, Any]]) -> Optional[dict[str, int]]:
    """How the critic judged (two-step inference): turns judged, rejected, modality changed;
    ``None`` when no turn carries a verdict."""
    judged = rejected = switched = 0
    for pred in predictions:
        verdict = pred.get("critic")
        if not verdict:
            continue
        judged += 1
        rejected += int(not verdict.get("ok", True))
        switched += int(bool(verdict.get("corrected_modality")) and verdict.get("corrected_modality") == pred.get("predicted"))
    return {"judged": judged, "rejected": rejected, "modality_changed": switched} if judged else None


def markdown_report(
    table: ModalityTable,
    consistency: dict[str, Any],
    meta: Optional[dict[str, Any]] = None,
    *,
    chart: Optional[str] = None,
    critic: Optional[dict[str, int]] = None,
) -> str:
    """``report.md``: run settings, the table, Avg and turn mean, the consistency block."""
    lines = ["# Modality switching (DialogBen Table 3 layout)", ""]
    for key, value in (meta or {}).items():
        lines.append(f"- **{key}**: {value}")
    if meta:
        lines.append("")
    lines.append("| Round | " + " | ".join(SCENARIOS) + " |")
    lines.append("|---:|" + "---:|" * len(SCENARIOS))
    for r in table.rounds:
        lines.append(f"| {r} | " + " | ".join(_fmt(table.cells[r][s]) for s in SCENARIOS) + " |")
    totals = table.scenario_totals()
    lines.append("| all | " + " | ".join(_fmt(totals[s]) for s in SCENARIOS) + " |")
    lines += [
        "",
        f"**Avg** (unweighted mean of the non-empty cells, as in the paper): **{_fmt_pct(table.avg)}**  ",
        f"Mean over all {table.n_turns} turns: {_fmt_pct(table.turn_mean)}",
        "",
        "## Prompt consistency (edit turns)",
        "",
    ]
    lines += [f"- {line}" for line in consistency_lines(consistency)]
    if critic:
        lines += [
            "",
            "## Critic (two-step inference)",
            "",
            f"- Turns judged: {critic['judged']}; rejected (a rule broken): {critic['rejected']}; output modality changed: {critic['modality_changed']}",
        ]
    if chart:
        lines += ["", f"![accuracy per cell]({chart})"]
    return "\n".join(lines) + "\n"


def plot_cells(table: ModalityTable, path: Path, title: str = "Modality switching accuracy") -> Path:
    """A grouped bar chart (groups = rounds, bars = scenarios) written as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rounds = table.rounds
    width = 0.8 / len(SCENARIOS)
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=110)
    for k, s in enumerate(SCENARIOS):
        xs = [i + (k - (len(SCENARIOS) - 1) / 2) * width for i in range(len(rounds))]
        ys = [table.cells[r][s].acc or 0.0 for r in rounds]
        bars = ax.bar(xs, ys, width, label=s)
        for bar, r in zip(bars, rounds):
            if not table.cells[r][s].n:
                bar.set_hatch("//")
                bar.set_alpha(0.3)
    ax.set_xticks(range(len(rounds)), [f"round {r}" for r in rounds])
    ax.set_ylim(0, 100)
    ax.set_ylabel("accuracy (%)")
    if table.avg is not None:
        ax.axhline(table.avg, color="black", linestyle="--", linewidth=1, label=f"Avg {table.avg:.2f}")
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=5, loc="lower center", bbox_to_anchor=(0.5, -0.32))
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path


def write_reports(
    out_dir: Path,
    predictions: list[dict[str, Any]],
    meta: Optional[dict[str, Any]] = None,
    *,
    chart: bool = True,
) -> tuple[ModalityTable, dict[str, Any]]:
    """Compute the table and consistency block from ``predictions`` and write
    ``summary.json``, ``report.md`` and (``chart``) ``cells.png`` into ``out_dir``."""
    from .consistency import consistency_summary

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    table = ModalityTable.from_predictions(predictions)
    consistency = consistency_summary(predictions)
    summary = summary_dict(table, consistency)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    chart_name = None
    if chart and table.n_turns:
        plot_cells(table, out_dir / "cells.png")
        chart_name = "cells.png"
    report = markdown_report(table, consistency, meta, chart=chart_name, critic=critic_stats(predictions))
    (out_dir / "report.md").write_text(report, encoding="utf-8")
    return table, summary
