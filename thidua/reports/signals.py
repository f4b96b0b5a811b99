"""Signals other apps listen to (the awards app flags a monthly award on a later untruthful finding, and clears
the flag when the finding is withdrawn)."""

from django.dispatch import Signal

report_marked_untruthful = Signal()
report_untruthful_withdrawn = Signal()
