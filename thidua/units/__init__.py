"""Units (đơn vị) of the registry, the people who work for them and their roles."""
