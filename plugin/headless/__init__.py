"""Headless mode: the same API served from a collection file, without Anki's windows."""
