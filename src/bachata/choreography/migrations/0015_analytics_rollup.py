"""Blueprint analytics without hot rows: append-only deltas, rolled up by a scheduled job.

Before, every blueprint insert updated one ``blueprint_move_usage`` row per move it used.
Those few rows were a lock every concurrent generate waited on, and a bulk load (many
versions of the same rows in one transaction) got slower with every row it added.

Now a write only appends:

- every insert, update or delete of ``blueprint_facts`` appends a signed row to
  ``blueprint_deltas`` (+1 with the new facts, -1 with the old ones): no row is shared
  between writers;
- ``blueprint_analytics_compact()`` (the ``compact_analytics`` job, every minute) folds
  the deltas into ``blueprint_rollup`` (one row per day, difficulty, energy and style) and
  ``blueprint_move_usage`` (one row per move) and deletes them, in one statement;
- reads add the rollup and the deltas not folded yet, so they are exact at any moment.

A restore loads all three tables as they were and creates the triggers afterwards
(pg_dump's post-data section): nothing is counted twice.
"""

from django.db import migrations

FORWARD = """
DROP TRIGGER IF EXISTS blueprint_move_usage_sync ON blueprint_facts;
DROP FUNCTION IF EXISTS blueprint_move_usage_sync();

CREATE TABLE blueprint_deltas (
    id BIGSERIAL PRIMARY KEY,
    day DATE NOT NULL,
    difficulty TEXT NOT NULL,
    energy_level TEXT NOT NULL,
    style TEXT NOT NULL,
    blueprints INTEGER NOT NULL,
    moves BIGINT NOT NULL,
    duration DOUBLE PRECISION,
    move_ids TEXT[] NOT NULL
);

CREATE TABLE blueprint_rollup (
    day DATE NOT NULL,
    difficulty TEXT NOT NULL,
    energy_level TEXT NOT NULL,
    style TEXT NOT NULL,
    blueprints BIGINT NOT NULL,
    moves BIGINT NOT NULL,
    duration DOUBLE PRECISION NOT NULL,
    durations BIGINT NOT NULL,
    PRIMARY KEY (day, difficulty, energy_level, style)
);

CREATE FUNCTION blueprint_deltas_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.created_at, OLD.moves_count, OLD.total_duration,
                             OLD.move_ids, OLD.difficulty, OLD.energy_level, OLD.style)
        IS NOT DISTINCT FROM (NEW.created_at, NEW.moves_count, NEW.total_duration,
                              NEW.move_ids, NEW.difficulty, NEW.energy_level, NEW.style) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO blueprint_deltas (day, difficulty, energy_level, style, blueprints, moves,
                                      duration, move_ids)
        VALUES ((OLD.created_at AT TIME ZONE 'UTC')::date, COALESCE(OLD.difficulty, ''),
                COALESCE(OLD.energy_level, ''), COALESCE(OLD.style, ''), -1,
                -OLD.moves_count, -OLD.total_duration, OLD.move_ids);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO blueprint_deltas (day, difficulty, energy_level, style, blueprints, moves,
                                      duration, move_ids)
        VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, COALESCE(NEW.difficulty, ''),
                COALESCE(NEW.energy_level, ''), COALESCE(NEW.style, ''), 1,
                NEW.moves_count, NEW.total_duration, NEW.move_ids);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER blueprint_deltas_append AFTER INSERT OR UPDATE OR DELETE ON blueprint_facts
    FOR EACH ROW EXECUTE FUNCTION blueprint_deltas_append();

CREATE FUNCTION blueprint_analytics_compact() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    folded BIGINT;
BEGIN
    WITH moved AS (
        DELETE FROM blueprint_deltas RETURNING *
    ), totals AS (
        INSERT INTO blueprint_rollup AS r (day, difficulty, energy_level, style, blueprints,
                                           moves, duration, durations)
        SELECT day, difficulty, energy_level, style, SUM(blueprints), SUM(moves),
               COALESCE(SUM(duration), 0),
               SUM(CASE WHEN duration IS NULL THEN 0 ELSE blueprints END)
          FROM moved GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, difficulty, energy_level, style) DO UPDATE SET
            blueprints = r.blueprints + EXCLUDED.blueprints,
            moves = r.moves + EXCLUDED.moves,
            duration = r.duration + EXCLUDED.duration,
            durations = r.durations + EXCLUDED.durations
    ), usage AS (
        INSERT INTO blueprint_move_usage AS u (move_id, uses)
        SELECT m, SUM(d.blueprints) FROM moved d, unnest(d.move_ids) m GROUP BY 1 ORDER BY 1
        ON CONFLICT (move_id) DO UPDATE SET uses = u.uses + EXCLUDED.uses
    )
    SELECT COUNT(*) INTO folded FROM moved;
    DELETE FROM blueprint_rollup WHERE blueprints = 0;
    DELETE FROM blueprint_move_usage WHERE uses = 0;
    RETURN folded;
END;
$$;

-- What the facts hold today becomes the first rollup.
INSERT INTO blueprint_deltas (day, difficulty, energy_level, style, blueprints, moves,
                              duration, move_ids)
SELECT (created_at AT TIME ZONE 'UTC')::date, COALESCE(difficulty, ''),
       COALESCE(energy_level, ''), COALESCE(style, ''), 1, moves_count, total_duration,
       move_ids
  FROM blueprint_facts;
TRUNCATE blueprint_move_usage;
SELECT blueprint_analytics_compact();

CREATE OR REPLACE FUNCTION blueprint_facts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE blueprint_facts, blueprint_deltas, blueprint_rollup, blueprint_move_usage;
    RETURN NULL;
END;
$$;
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION blueprint_facts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE blueprint_facts, blueprint_move_usage;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS blueprint_deltas_append ON blueprint_facts;
DROP FUNCTION IF EXISTS blueprint_deltas_append();
DROP FUNCTION IF EXISTS blueprint_analytics_compact();
DROP TABLE IF EXISTS blueprint_deltas;
DROP TABLE IF EXISTS blueprint_rollup;
TRUNCATE blueprint_move_usage;
INSERT INTO blueprint_move_usage (move_id, uses)
SELECT m, COUNT(*) FROM blueprint_facts, unnest(move_ids) m GROUP BY 1;

CREATE FUNCTION blueprint_move_usage_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE blueprint_move_usage u SET uses = u.uses - c.n
          FROM (SELECT m AS move_id, COUNT(*) AS n FROM unnest(OLD.move_ids) m GROUP BY 1) c
         WHERE u.move_id = c.move_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO blueprint_move_usage AS u (move_id, uses)
        SELECT m, COUNT(*) FROM unnest(NEW.move_ids) m GROUP BY 1 ORDER BY 1
        ON CONFLICT (move_id) DO UPDATE SET uses = u.uses + EXCLUDED.uses;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER blueprint_move_usage_sync AFTER INSERT OR UPDATE OR DELETE ON blueprint_facts
    FOR EACH ROW EXECUTE FUNCTION blueprint_move_usage_sync();
"""


class Migration(migrations.Migration):
    dependencies = [("choreography", "0014_cache_table")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
