"""The office's old Excel ledgers and batches of 12378 items brought in (docs/domain.md, "历史台账导入")."""

from .columns import FIELDS, template_workbook
from .run import (
    can_import,
    import_offices,
    ledger_import_execute,
    ledger_import_run,
    ledger_import_save_mapping,
    ledger_import_upload,
    mapping_for,
    may_run,
    preview_rows,
)

__all__ = [
    "FIELDS",
    "can_import",
    "import_offices",
    "ledger_import_execute",
    "ledger_import_run",
    "ledger_import_save_mapping",
    "ledger_import_upload",
    "mapping_for",
    "may_run",
    "preview_rows",
    "template_workbook",
]
