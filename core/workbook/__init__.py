"""The user's spreadsheet in (read from a snapshot taken at start), the report out."""
