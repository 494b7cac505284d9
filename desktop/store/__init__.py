"""Lectern's storage: the only package that talks to SQLite. No Qt."""
