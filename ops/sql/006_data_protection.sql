-- The API hosts' ASP.NET Core Data Protection key ring. The consoles' antiforgery tokens are protected
-- with these keys; keeping them here lets any API host read what another one wrote, so a console form
-- rendered by one host can be posted to the next. Written by the framework, a few
-- rows a quarter (a key lives 90 days).
CREATE TABLE IF NOT EXISTS data_protection_key (
    name       text PRIMARY KEY,
    xml        text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
