"""Views of the reports app, split by who uses them."""
