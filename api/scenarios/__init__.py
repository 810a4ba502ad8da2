"""Loading a whole scenario file into a team (the admin CLI's bootstrap and the demo)."""
