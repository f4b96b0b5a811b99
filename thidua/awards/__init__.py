"""Monthly and year-end awards of a campaign: decisions, nominations, the reward dossier, exports."""
