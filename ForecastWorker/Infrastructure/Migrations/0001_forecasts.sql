-- forecastdb: daily sales pulled from OrderingApi, forecast runs and their per-variant, per-day forecasts.

-- Units sold per variant and day; only days with sales are stored, every other day of the pulled range is zero.
CREATE TABLE sales_days (
    variant_id integer NOT NULL,
    day date NOT NULL,
    units integer NOT NULL CHECK (units > 0),
    PRIMARY KEY (variant_id, day)
);

-- The range of days pulled so far (one row): sales_days is complete for first_day..last_day.
CREATE TABLE sales_coverage (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    first_day date NOT NULL,
    last_day date NOT NULL CHECK (last_day >= first_day),
    pulled_at timestamptz NOT NULL DEFAULT now()
);

-- A forecast run: queued (asked for), running (one at a time, under an advisory lock), then complete or failed.
-- Its rows are written while it runs; readers only ever look at the run forecast_state points to.
CREATE TABLE forecast_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status text NOT NULL CHECK (status IN ('queued', 'running', 'complete', 'failed')),
    trigger text NOT NULL,
    requested_by text,
    requested_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    completed_at timestamptz,
    forecast_start date,
    horizon integer NOT NULL CHECK (horizon > 0),
    variants integer NOT NULL DEFAULT 0,
    mean_rmsse double precision,
    duration_seconds double precision,
    attempts integer NOT NULL DEFAULT 0,
    error text
);
-- At most one run waiting and one running, whichever instance asked.
CREATE UNIQUE INDEX forecast_runs_one_queued ON forecast_runs (status) WHERE status = 'queued';
CREATE UNIQUE INDEX forecast_runs_one_running ON forecast_runs (status) WHERE status = 'running';

-- Per run and variant: how its forecast was made.
CREATE TABLE forecast_variants (
    run_id bigint NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
    variant_id integer NOT NULL,
    product_id integer NOT NULL,
    model text NOT NULL,
    best_model text,
    backtest_rmsse double precision,
    flags integer NOT NULL,
    note text,
    history_days integer NOT NULL,
    fit_ms real NOT NULL,
    PRIMARY KEY (run_id, variant_id)
);
CREATE INDEX forecast_variants_product ON forecast_variants (run_id, product_id);

-- Per run, variant and day: the mean and the 80% and 95% intervals.
CREATE TABLE forecast_points (
    run_id bigint NOT NULL REFERENCES forecast_runs (id) ON DELETE CASCADE,
    variant_id integer NOT NULL,
    day date NOT NULL,
    mean real NOT NULL,
    lower80 real NOT NULL,
    upper80 real NOT NULL,
    lower95 real NOT NULL,
    upper95 real NOT NULL,
    PRIMARY KEY (run_id, variant_id, day)
);

-- The pointer readers join on: the latest complete run (one row).
CREATE TABLE forecast_state (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    latest_run_id bigint REFERENCES forecast_runs (id)
);
INSERT INTO forecast_state (id, latest_run_id) VALUES (true, NULL);
