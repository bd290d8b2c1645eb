"""Renderers: the visit report's formats and the exports. They turn plain data into files; no database here."""
