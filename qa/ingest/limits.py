"""What one input file may hold, declared once (``limits:`` in qa.yaml), checked at the door.

A telephony or chat export can hold anything: a 2 GB JSON file, JSON nested a hundred
thousand levels deep, a 50 MB CSV field, a conversation of a million messages. Each is
refused with its reason, as one failed file, and the batch goes on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.config import Config
from qa.errors import InputError
from qa.model import Interaction


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_nesting: int
    max_field_chars: int
    max_messages: int
    max_message_chars: int

    @classmethod
    def from_config(cls, config: Config) -> Limits:
        lim = config.limits
        return cls(
            max_file_bytes=int(lim.max_file_mb * 1024 * 1024),
            max_nesting=lim.max_nesting,
            max_field_chars=lim.max_field_chars,
            max_messages=lim.max_messages,
            max_message_chars=lim.max_message_chars,
        )

    def check_size(self, path: Path) -> None:
        size = path.stat().st_size
        if size > self.max_file_bytes:
            raise InputError(
                f"file of {size / 2**20:,.0f} MB is over the {self.max_file_bytes / 2**20:,.0f} MB "
                "limit for text files (limits.max_file_mb in qa.yaml); split the export"
            )

    def load_json(self, text: str) -> Any:
        """Parse JSON no deeper than the limit; the error names line and column."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
            ) from exc
        except RecursionError:
            raise InputError(self._too_deep()) from None
        except ValueError:  # an integer past Python's 4,300-digit limit
            raise InputError("a JSON number of more than 4,300 digits") from None
        self._check_depth(data)
        return data

    def _too_deep(self) -> str:
        return f"JSON nested deeper than {self.max_nesting} levels (limits.max_nesting in qa.yaml)"

    def _check_depth(self, data: Any) -> None:
        stack = [(data, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > self.max_nesting:
                raise InputError(self._too_deep())
            if isinstance(node, dict):
                stack += [(v, depth + 1) for v in node.values() if isinstance(v, dict | list)]
            elif isinstance(node, list):
                stack += [(v, depth + 1) for v in node if isinstance(v, dict | list)]

    @contextmanager
    def csv_fields(self) -> Iterator[None]:
        """CSV fields up to the limit, with csv's error turned into the file's reason."""
        before = csv.field_size_limit(self.max_field_chars)
        try:
            yield
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise InputError(
                    f"CSV: a field longer than {self.max_field_chars:,} characters "
                    "(limits.max_field_chars in qa.yaml)"
                ) from exc
            raise InputError(f"CSV: {exc}") from exc
        finally:
            csv.field_size_limit(before)

    def check_interactions(self, items: list[Interaction]) -> None:
        for item in items:
            if len(item.turns) > self.max_messages:
                raise InputError(
                    f"conversation {item.id} has {len(item.turns):,} messages, over the limit "
                    f"of {self.max_messages:,} (limits.max_messages in qa.yaml)"
                )
            for turn in item.turns:
                if len(turn.text) > self.max_message_chars:
                    raise InputError(
                        f"a message of {len(turn.text):,} characters in {item.id}, over the "
                        f"limit of {self.max_message_chars:,} (limits.max_message_chars in qa.yaml)"
                    )
