"""What every area stands on: the database (engine, migrations, integrity, backups), outbox capture,
the clock, identity and errors.  No area module is imported from here."""
