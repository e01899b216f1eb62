-- Contact search reads trigram indexes (pg_trgm ships with Postgres and with PGlite's contrib).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
