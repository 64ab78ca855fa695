"""Derived facts of each blueprint, kept by a trigger, so analytics stay fast at scale.

The seed's ``blueprints`` table is left exactly as specified; ``blueprint_facts`` holds
one narrow row per blueprint (number of moves, total duration, move ids, parameters),
written by the database itself on every INSERT or UPDATE of ``blueprints`` — raw SQL
included — and removed with it by ON DELETE CASCADE.
"""

from django.db import migrations

FORWARD = """
CREATE TABLE blueprint_facts (
    task_id VARCHAR(36) PRIMARY KEY REFERENCES blueprints(task_id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    moves_count INTEGER NOT NULL,
    total_duration DOUBLE PRECISION,
    move_ids TEXT[] NOT NULL,
    difficulty TEXT,
    energy_level TEXT,
    style TEXT
);
CREATE INDEX blueprint_facts_created_at ON blueprint_facts (created_at);

CREATE FUNCTION blueprint_facts_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO blueprint_facts AS f (task_id, created_at, moves_count, total_duration,
                                      move_ids, difficulty, energy_level, style)
    VALUES (
        NEW.task_id,
        NEW.created_at,
        COALESCE(jsonb_array_length(NEW.blueprint_json->'moves'), 0),
        (NEW.blueprint_json->>'total_duration')::float,
        COALESCE(ARRAY(SELECT m->>'move_id'
                         FROM jsonb_array_elements(NEW.blueprint_json->'moves') m), '{}'),
        NEW.blueprint_json->'generation_parameters'->>'difficulty_level',
        NEW.blueprint_json->'generation_parameters'->>'energy_level',
        NEW.blueprint_json->'generation_parameters'->>'style'
    )
    ON CONFLICT (task_id) DO UPDATE SET
        created_at = EXCLUDED.created_at, moves_count = EXCLUDED.moves_count,
        total_duration = EXCLUDED.total_duration, move_ids = EXCLUDED.move_ids,
        difficulty = EXCLUDED.difficulty, energy_level = EXCLUDED.energy_level,
        style = EXCLUDED.style;
    RETURN NULL;
END;
$$;

CREATE TRIGGER blueprint_facts_sync AFTER INSERT OR UPDATE ON blueprints
    FOR EACH ROW EXECUTE FUNCTION blueprint_facts_sync();

INSERT INTO blueprint_facts (task_id, created_at, moves_count, total_duration, move_ids,
                             difficulty, energy_level, style)
SELECT task_id, created_at, COALESCE(jsonb_array_length(blueprint_json->'moves'), 0),
       (blueprint_json->>'total_duration')::float,
       COALESCE(ARRAY(SELECT m->>'move_id' FROM jsonb_array_elements(blueprint_json->'moves') m),
                '{}'),
       blueprint_json->'generation_parameters'->>'difficulty_level',
       blueprint_json->'generation_parameters'->>'energy_level',
       blueprint_json->'generation_parameters'->>'style'
  FROM blueprints;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS blueprint_facts_sync ON blueprints;
DROP FUNCTION IF EXISTS blueprint_facts_sync();
DROP TABLE IF EXISTS blueprint_facts;
"""


class Migration(migrations.Migration):
    dependencies = [("choreography", "0005_source_task")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
