-- Every monthly report (通报) handed out, with the SHA-256 of its bytes, so a circulated file can be checked
-- against what the system produced (GET /api/v1/reports/verify?sha256=). The figures are computed as of the
-- month's end from the log, so generating the same month, scope and format again gives the same bytes and the
-- same hash; each distinct file is kept once, with the first time it was generated. Append-only: an archive.
CREATE TABLE IF NOT EXISTS monthly_report (
    sha256       text PRIMARY KEY,         -- lowercase hex of content
    month        date        NOT NULL,     -- the month's first day (Asia/Shanghai calendar month)
    scope        text        NOT NULL,     -- 440000 (province) or a city code
    format       text        NOT NULL,     -- json, csv, xlsx, html
    generated_at timestamptz NOT NULL DEFAULT now(),
    content      bytea       NOT NULL      -- the file as served, to serve it again
);

CREATE INDEX IF NOT EXISTS monthly_report_by_month ON monthly_report (month, scope, format);

-- API hosts make and archive reports; silos never touch them. Grants only where 009_roles.sql made the roles
-- (evaluation_grant_roles() leaves a notice otherwise).
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_api')
       AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'evaluation_silo') THEN
        REVOKE ALL ON monthly_report FROM evaluation_silo;
        GRANT SELECT, INSERT ON monthly_report TO evaluation_api;
    END IF;
END$$;
