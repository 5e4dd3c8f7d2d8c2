-- Bearer tokens revoked before they expire (signing out of a console), by token id (the JWT's jti). Every
-- API host checks a token here, so a token signed out on one host is refused by all. A row is useless once
-- its token has expired; the API deletes such rows as it adds new ones.
CREATE TABLE IF NOT EXISTS revoked_token (
    token_id   text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
