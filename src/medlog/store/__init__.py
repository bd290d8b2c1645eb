"""The journal file: connections and pragmas, migrations, backups, writes and queries. The only SQL."""
