"""Typer sub-apps for ``dialoggen bench``, ``dialoggen eval`` and ``dialoggen data``.

Each command lives beside its logic (``evals/generate.py`` registers ``bench generate`` on
``bench_app``, and so on); this module creates the apps and imports those modules so the
commands are registered. Command modules keep heavy imports inside their functions, so
``dialoggen --help`` stays fast.
"""

from __future__ import annotations

import importlib

import typer

bench_app = typer.Typer(help="Build benchmark data and train the offline router.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluate modality switching, prompt consistency and coherence.", no_args_is_help=True)
data_app = typer.Typer(help="Error-correction and instruction-tuning data (paper §4.3).", no_args_is_help=True)

# Modules that register commands on the apps above.
COMMAND_MODULES = ("generate", "baseline", "train.router", "edits", "modality", "coherence", "corrections", "export", "rewrite_eval")

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__package__}.{_name}")  # an import error surfaces: no command goes missing silently
