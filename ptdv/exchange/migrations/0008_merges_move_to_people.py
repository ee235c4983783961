"""Person merges move beside people (issue 14): the models now belong to the people app
(ptdv.people.merging); their tables keep their names, so only the state changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("exchange", "0007_value_alias")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DuplicateDismissal"),
                migrations.DeleteModel(name="MergeRecord"),
            ],
            database_operations=[],
        )
    ]
