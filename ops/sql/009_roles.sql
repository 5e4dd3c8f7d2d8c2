-- Least privilege: the role that runs these migrations owns the schema (DDL); silos and API hosts log in
-- as roles that are members of two NOLOGIN group roles holding only the data rights they need:
--   evaluation_silo: reads and writes the tables (the event log only appended to), creates month
--                    partitions through ensure_event_log_partitions, which runs as the owner; no DDL;
--   evaluation_api:  reads the Orleans membership (to find the gateways), the Data Protection key ring and
--                    the revoked tokens.
-- Deployments create the login roles, e.g. CREATE ROLE silo_login LOGIN PASSWORD '…' IN ROLE evaluation_silo.
-- The migration role needs CREATEROLE for the group roles, or a DBA creates them first; without either this
-- step leaves a notice and grants nothing (SELECT evaluation_grant_roles() grants later).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_silo')
       AND (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        CREATE ROLE evaluation_silo NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_api')
       AND (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        CREATE ROLE evaluation_api NOLOGIN;
    END IF;
END$$;

-- Partitions are DDL; the silos may ask for them, the function creates them as its owner.
ALTER FUNCTION ensure_event_log_partitions(date, date) SECURITY DEFINER SET search_path = public, pg_temp;
REVOKE ALL ON FUNCTION ensure_event_log_partitions(date, date) FROM PUBLIC;

CREATE OR REPLACE FUNCTION evaluation_grant_roles() RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_silo')
       OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_api') THEN
        RAISE NOTICE 'roles evaluation_silo and evaluation_api do not exist: nothing granted (create them NOLOGIN, then SELECT evaluation_grant_roles())';
        RETURN 'skipped';
    END IF;

    EXECUTE format('GRANT CONNECT ON DATABASE %I TO evaluation_silo, evaluation_api', current_database());
    GRANT USAGE ON SCHEMA public TO evaluation_silo, evaluation_api;

    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO evaluation_silo;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO evaluation_silo;
    REVOKE UPDATE, DELETE ON event_log, contact_reveal, schema_migrations FROM evaluation_silo;
    REVOKE INSERT ON schema_migrations FROM evaluation_silo;
    REVOKE ALL ON data_protection_key FROM evaluation_silo;
    GRANT EXECUTE ON FUNCTION ensure_event_log_partitions(date, date) TO evaluation_silo;
    -- Tables of later migrations, created by this same owner.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO evaluation_silo;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO evaluation_silo;

    GRANT SELECT ON OrleansQuery, orleans_membership, orleans_membership_version TO evaluation_api;
    GRANT SELECT, INSERT ON data_protection_key TO evaluation_api;
    -- Console sign-out revokes tokens on every host (009_revoked_token.sql); silos never touch it.
    REVOKE ALL ON revoked_token FROM evaluation_silo;
    GRANT SELECT, INSERT, DELETE ON revoked_token TO evaluation_api;
    RETURN 'granted';
END$$;

SELECT evaluation_grant_roles();
