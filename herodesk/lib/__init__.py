"""Project-wide helpers below every app: prepared SQL, the SQLite backend, env parsing, errors."""
