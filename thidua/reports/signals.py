"""Signals other apps listen to (the awards app flags a monthly award on a later untruthful finding)."""

from django.dispatch import Signal

report_marked_untruthful = Signal()
