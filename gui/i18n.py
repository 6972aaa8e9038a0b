"""The window's language: English (the source text) or Brazilian Portuguese, following the system unless chosen.

Translations are Qt's own: strings in the code go through tr()/QCoreApplication.translate, their sources live in
resources/i18n/coupadownloads_<language>.ts (`make translations` runs pyside6-lupdate to refresh them and
pyside6-lrelease to compile the .qm files the app loads; the bundle ships the .qm files). Qt's own dialogs (Yes/No,
file pickers) come from Qt's translations when PySide6 ships them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from core.paths import resource_path

SYSTEM = ""  # the setting's value for "follow the system"
LANGUAGES = {"en": "English", "pt_BR": "Português (Brasil)"}  # shown in their own language
CATALOG = "coupadownloads"


def translations_dir() -> Path:
    return resource_path("i18n")


def language_for(choice: str, system: str | None = None) -> str:
    """The language to speak: the chosen one, else the system's when we have it, else English."""
    if choice in LANGUAGES:
        return choice
    name = system if system is not None else QLocale.system().name()
    return "pt_BR" if name.startswith("pt") else "en"


def install_language(app: QCoreApplication, choice: str, folder: Path | None = None) -> str:
    """Install the translators for `choice` (SYSTEM: the system's language) before any window is built.

    Returns the language spoken. English needs nothing; a missing .qm file leaves the window in English.
    """
    language = language_for(choice)
    if language == "en":
        return language
    ours = QTranslator(app)
    if not ours.load(f"{CATALOG}_{language}", str(folder or translations_dir())):
        return "en"
    app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
    return language
