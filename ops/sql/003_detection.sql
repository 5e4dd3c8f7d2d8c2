-- Trained detection models (ML.NET model zips), so a restarted silo scores with the same model and
-- every alert's model version can be traced to the bytes that produced it. Re-runnable.
CREATE TABLE IF NOT EXISTS detection_model (
    version       text PRIMARY KEY,
    trained_at    timestamptz NOT NULL,
    training_rows integer     NOT NULL,
    model         bytea       NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS detection_model_trained_at ON detection_model (trained_at DESC);
