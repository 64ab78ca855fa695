"""How often each move appears over all blueprints, kept by a trigger on blueprint_facts,
so "most popular moves" is a lookup instead of unnesting millions of array elements."""

from django.db import migrations

FORWARD = """
CREATE TABLE blueprint_move_usage (
    move_id TEXT PRIMARY KEY,
    uses BIGINT NOT NULL DEFAULT 0
);

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

INSERT INTO blueprint_move_usage (move_id, uses)
SELECT m, COUNT(*) FROM blueprint_facts, unnest(move_ids) m GROUP BY 1;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS blueprint_move_usage_sync ON blueprint_facts;
DROP FUNCTION IF EXISTS blueprint_move_usage_sync();
DROP TABLE IF EXISTS blueprint_move_usage;
"""


class Migration(migrations.Migration):
    dependencies = [("choreography", "0006_blueprint_facts")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
