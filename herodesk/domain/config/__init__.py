"""The desk's setup as a TOML file (config as code), pure part.

- `source`: parse (tomllib) and find where each key is written (tree-sitter);
- `fields`, `schema`: what each section may hold → the desired state as plain data;
- `refs`: names the file uses must exist (in the file or in the desk);
- `diff`: (current state, desired state) → the ordered list of changes.

The Django side (reading the current state, applying the changes through the
actions, `herodesk apply` / `herodesk export`) lives above this.
"""

from __future__ import annotations

from herodesk.domain.config.schema import Desired, Facts, Problem, check
from herodesk.domain.config.source import Source, SyntaxProblem, load

__all__ = ["Desired", "Facts", "Problem", "Source", "read"]


def read(
    text: str, name: str, facts: Facts | None = None
) -> tuple[Source | None, Desired | None, list[Problem]]:
    """Parse and check a file: (source, desired state, problems)."""
    try:
        source = load(text, name)
    except SyntaxProblem as exc:
        return None, None, [Problem(name, exc.line, "TOML", exc.message)]
    desired, problems = check(source, facts)
    return source, desired, problems
