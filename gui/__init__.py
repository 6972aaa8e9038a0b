"""The desktop window (PySide6). Thin: models, views and a QThread that runs the engine's supervisor."""
