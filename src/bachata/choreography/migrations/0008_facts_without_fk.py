"""blueprint_facts follows deletes and TRUNCATE of blueprints by triggers instead of a
foreign key, so ``TRUNCATE blueprints`` (Django's flush, an operator's cleanup) still
works on the seed's table exactly as specified."""

from django.db import migrations

FORWARD = """
ALTER TABLE blueprint_facts DROP CONSTRAINT IF EXISTS blueprint_facts_task_id_fkey;

CREATE FUNCTION blueprint_facts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM blueprint_facts WHERE task_id = OLD.task_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER blueprint_facts_delete AFTER DELETE ON blueprints
    FOR EACH ROW EXECUTE FUNCTION blueprint_facts_delete();

CREATE FUNCTION blueprint_facts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE blueprint_facts, blueprint_move_usage;
    RETURN NULL;
END;
$$;
CREATE TRIGGER blueprint_facts_truncate AFTER TRUNCATE ON blueprints
    FOR EACH STATEMENT EXECUTE FUNCTION blueprint_facts_truncate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS blueprint_facts_truncate ON blueprints;
DROP FUNCTION IF EXISTS blueprint_facts_truncate();
DROP TRIGGER IF EXISTS blueprint_facts_delete ON blueprints;
DROP FUNCTION IF EXISTS blueprint_facts_delete();
ALTER TABLE blueprint_facts ADD CONSTRAINT blueprint_facts_task_id_fkey
    FOREIGN KEY (task_id) REFERENCES blueprints(task_id) ON DELETE CASCADE;
"""


class Migration(migrations.Migration):
    dependencies = [("choreography", "0007_move_usage")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
