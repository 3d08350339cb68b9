"""Typing and labelling export rows from the data model (GET /api/v1/schema).

The schema gives every field a type; export rows (JSON or CSV) are turned into Python
values by it:

========== ======================= =========================================
type       Python value            read from CSV
========== ======================= =========================================
integer    ``int``                 ``"1965"``
number     ``float``               ``"57"``, ``"1e-04"``
date       ``datetime.date``       ``"2025-03-09"``
boolean    ``bool``                ``"true"`` / ``"false"``
code       ``str`` (the code)      ``"aml"``
codes      ``list[str]``           ``"registry;trial"``
text       ``str``                 as is
========== ======================= =========================================

"Not recorded" is ``None`` (JSON ``null``, an empty CSV cell). Columns the schema does not
describe (``patient``, ``id``, ``patient_id``, ``version``) are left as the server sent them.

Labels: a code field ``f`` with ``code_labels`` in the schema gets its human label beside
it by default (``labels="add"``: ``f`` keeps the code, ``f_label`` holds the label; for
code sets ``f_label`` is a list of labels in the same order). ``labels="replace"`` puts the
label in ``f`` itself and ``labels="none"`` leaves codes alone. A code the schema has no
label for is labelled with the code itself, so no value is ever lost.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, List, Mapping, Optional

LABEL_SUFFIX = "_label"
LABEL_MODES = ("add", "replace", "none")

_TRUE = {"true", "t", "yes", "1"}
_FALSE = {"false", "f", "no", "0"}


class ValueProblem(ValueError):
    """A value that does not fit its field's type."""


def convert(field: Mapping[str, Any], value: Any, *, from_csv: bool = False) -> Any:
    """One value of ``field`` (a schema field) as a Python value.

    ``from_csv``: the value is a CSV cell (text; empty means not recorded).
    Raises ``ValueProblem`` naming the field when the value does not fit.
    """
    if value is None:
        return None
    if from_csv and value == "":
        return None
    kind = field.get("type")
    try:
        if kind == "integer":
            return _integer(value)
        if kind == "number":
            if isinstance(value, bool):
                raise TypeError("a boolean is not a number")
            return float(value)
        if kind == "date":
            if isinstance(value, _dt.date):
                return value
            return _dt.date.fromisoformat(str(value))
        if kind == "boolean":
            return _boolean(value)
        if kind == "codes":
            if isinstance(value, str):
                return [c for c in value.split(";") if c != ""]
            if isinstance(value, (list, tuple)):
                return [str(c) for c in value]
            raise TypeError("expected a list of codes")
        if kind in ("code", "text"):
            if isinstance(value, (dict, list, bool)):
                raise TypeError(f"expected text, got {type(value).__name__}")
            return str(value)
    except (TypeError, ValueError) as e:
        raise ValueProblem(f"field {field.get('name')!r} ({kind}): cannot read {value!r}: {e}") from e
    return value  # a type this client does not know yet: as the server sent it


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a boolean is not an integer")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        return int(value)
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise ValueError("not a whole number") from None
        return int(number)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected true or false")


def label(field: Mapping[str, Any], value: Any) -> Any:
    """The human label of a code (or the list of labels of a code set); ``None`` stays ``None``."""
    labels = field.get("code_labels") or {}
    if value is None:
        return None
    if isinstance(value, list):
        return [labels.get(c, c) for c in value]
    return labels.get(value, value)


def has_labels(field: Mapping[str, Any]) -> bool:
    return field.get("type") in ("code", "codes") and bool(field.get("code_labels"))


def type_rows(
    kind: str,
    fields: Iterable[Mapping[str, Any]],
    rows: Iterable[Mapping[str, Any]],
    *,
    labels: str = "add",
    from_csv: bool = False,
) -> List[Dict[str, Any]]:
    """Rows of an export of ``kind`` typed by ``fields`` and labelled (see the module's text).

    Each row's columns come in this order: the columns the schema does not describe (as the
    server sent them, e.g. ``patient``), then the kind's fields in schema order, each code
    field followed by its ``_label`` column when ``labels="add"``.
    """
    if labels not in LABEL_MODES:
        raise ValueError(f"labels must be one of {', '.join(LABEL_MODES)}, not {labels!r}")
    fields = list(fields)
    by_name = {f["name"]: f for f in fields}
    if labels == "add":
        for f in fields:
            if has_labels(f) and f["name"] + LABEL_SUFFIX in by_name:
                raise ValueError(
                    f"{kind}: cannot add {f['name'] + LABEL_SUFFIX!r}: the kind has a field of that name; "
                    "use labels='replace' or 'none'"
                )
    out = []
    for number, row in enumerate(rows, start=1):
        typed: Dict[str, Any] = {}
        for name, value in row.items():
            if name not in by_name:
                typed[name] = value
        for f in fields:
            name = f["name"]
            if name not in row:
                continue
            try:
                value = convert(f, row[name], from_csv=from_csv)
            except ValueProblem as e:
                raise ValueProblem(f"{kind} export, row {number}: {e}") from e
            if labels != "none" and has_labels(f):
                if labels == "replace":
                    typed[name] = label(f, value)
                else:
                    typed[name] = value
                    typed[name + LABEL_SUFFIX] = label(f, value)
            else:
                typed[name] = value
        out.append(typed)
    return out


def fields_of(schema: Mapping[str, Any], kind: str) -> Optional[List[Mapping[str, Any]]]:
    """The fields of ``kind`` in a schema document, or ``None`` when the schema has no such kind."""
    for k in schema.get("kinds", []):
        if k.get("name") == kind:
            return list(k.get("fields", []))
    return None
