"""Campaigns (phong trào thi đua): the rubric stored as data, settings, tie-breaks, closed months."""
