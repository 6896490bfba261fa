"""Backup, restore and fixity of the archive (R-FILE-6: electronic copies are
backed up and checked; R-CLIENT: client data stored encrypted and backed up).

- `backup.backup_archive`: a consistent online copy of the database (SQLite's
  backup API or pg_dump) and of every stored file, with a manifest of SHA-256
  sums (`manage.py backup_archive DIR`).
- `restore.restore_archive`: checks a backup against its manifest, then puts
  it into an empty or freshly migrated instance (`manage.py restore_archive DIR`).
- `fixity.verify_files`: re-reads every stored file against the SHA-256
  recorded at upload and keeps the result (`manage.py verify_files`); the
  archivist's home page warns while the newest check found a problem.

The field key that encrypts client data is never put into a backup: it is
kept, and must be backed up, separately.
"""
