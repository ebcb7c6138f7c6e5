"""Views of the complaints app, one module per area (ledger, intake, cases, documents)."""
