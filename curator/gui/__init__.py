"""The desktop app: adapts the core to Qt models and widgets, nothing more.

Only this package imports PySide6.
"""
