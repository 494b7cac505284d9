"""Lectern's Qt-free core: documents, rendering, anchoring and export as plain functions and data."""
