"""The add-on's own windows: the permission question and the port warning."""

from __future__ import annotations

from aqt.qt import QCheckBox, QMessageBox, QWidget

from ..host import PermissionAnswer

PERMISSION_DIALOG_NAME = "ankiconnect-permission"
PORT_WARNING_NAME = "ankiconnect-port-warning"


def ask_permission(parent: QWidget, origin: str) -> PermissionAnswer:
    """Ask whether a web page may use the API. Blocks in a nested event loop."""
    box = QMessageBox(parent)
    box.setObjectName(PERMISSION_DIALOG_NAME)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("AnkiConnect")
    box.setText(
        f"A website wants to use AnkiConnect:\n\n{origin or '(unknown origin)'}\n\n"
        "If you allow it, this site can read and change your collection. Allow it?"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    ignore = QCheckBox("Ignore further requests from this origin", box)
    box.setCheckBox(ignore)
    answer = box.exec()
    granted = answer == QMessageBox.StandardButton.Yes.value or answer == QMessageBox.StandardButton.Yes
    return PermissionAnswer(granted=bool(granted), ignore_origin=ignore.isChecked())


def warn_cannot_listen(parent: QWidget, text: str) -> QMessageBox:
    """Show the warning without blocking: Anki keeps working behind it."""
    box = QMessageBox(parent)
    box.setObjectName(PORT_WARNING_NAME)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("AnkiConnect")
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()
    return box
