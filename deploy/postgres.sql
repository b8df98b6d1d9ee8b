-- Run once as the PostgreSQL superuser: psql -f deploy/postgres.sql
-- The service's role owns its database; pb-ledger creates its tables itself, in one migration step.
CREATE ROLE pbledger LOGIN;
CREATE DATABASE pbledger OWNER pbledger ENCODING 'UTF8' TEMPLATE template0;
