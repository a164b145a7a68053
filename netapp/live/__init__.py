"""Pure domain logic of the live exercises: the shared clock and group forming."""
